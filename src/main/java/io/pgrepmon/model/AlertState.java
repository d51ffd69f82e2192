package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an alert is in its life: pending (unhealthy, not yet for long enough), firing, resolving (healthy, not yet for long enough), resolved. */
public enum AlertState {
    PENDING, FIRING, RESOLVING, RESOLVED;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

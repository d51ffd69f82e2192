package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A change of an alert worth telling someone about. */
public enum AlertEvent {
    FIRING, ESCALATED, RESOLVED;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

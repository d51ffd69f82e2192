package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Health of a component, from best to worst; DOWN is only for a database that could not be polled. */
public enum Status {
    HEALTHY, WARNING, CRITICAL, DOWN;

    public static Status worst(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How bad a firing alert is; the worst it reached while firing. */
public enum Severity {
    WARNING, CRITICAL;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

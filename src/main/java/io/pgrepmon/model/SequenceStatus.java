package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A sequence compared between the sides: ok, behind (the target would hand out values the source used), missing on the target, or unknown. */
public enum SequenceStatus {
    OK, BEHIND, MISSING, UNKNOWN;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

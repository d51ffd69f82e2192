package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a trend is heading. A pair's lag: caught-up, catching-up, falling-behind, steady or unknown; a slot's WAL
 * headroom: shrinking or stable.
 */
public enum TrendDirection {
    CAUGHT_UP, CATCHING_UP, FALLING_BEHIND, STEADY, UNKNOWN, SHRINKING, STABLE;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

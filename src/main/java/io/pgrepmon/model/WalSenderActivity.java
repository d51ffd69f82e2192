package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a walsender is doing: idle (nothing to send), streaming, stalled (changes wait, nothing confirmed for long),
 * or unknown; on a pair, none when no walsender serves its slot.
 */
public enum WalSenderActivity {
    IDLE, STREAMING, STALLED, UNKNOWN, NONE;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

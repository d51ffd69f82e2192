package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a pair's lag in seconds was obtained (no catalog measures it exactly); the pair's {@code lagMethodText}
 * says it in a sentence, with its figures.
 */
public enum LagMethod {
    /** The source's clock minus the heartbeat the target has applied: measured, even on an idle source. */
    HEARTBEAT,
    /** The slot has confirmed everything the source has written. */
    CAUGHT_UP,
    /** The walsender's replay_lag, measured on the source. */
    REPLAY_LAG,
    /** The slot's confirmed position has not moved while changes wait: the time since it last moved, at least. */
    LOWER_BOUND,
    /** Bytes behind divided by the recent rate at which the slot's confirmed position advanced. */
    APPLY_RATE,
    /** Not measurable (yet); the sentence says why. */
    UNKNOWN;

    @JsonValue
    public String code() {
        return Codes.of(this);
    }
}

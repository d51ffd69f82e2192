package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the recent history predicts for a pair's lag or a slot's WAL headroom.
 *
 * @param subject    the pair's name, or {@code database/slot}
 * @param kind       {@code lag} (a pair) or {@code slot-loss} (a slot with max_slot_wal_keep_size)
 * @param direction  caught-up, catching-up, falling-behind, steady, unknown; for slot-loss: shrinking or stable
 * @param etaSeconds seconds until caught up (lag) or until the slot would lose WAL (slot-loss); null when none
 * @param perSecond  the slope the estimate comes from, in bytes per second
 * @param text       the estimate in words, with the window it comes from
 */
@RegisterForReflection
public record Trend(String subject, String kind, TrendDirection direction, Double etaSeconds, Double perSecond, String text) {
}

package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A walsender as published: what the server said of it, and what the monitor judged over the ticks.
 *
 * @param activity     idle (nothing pending, or a quiet source: lag columns null and the confirmed position
 *                     moving), streaming (lags measured, confirmed position moving), stalled (changes pending and
 *                     no confirmed progress for {@code monitor.thresholds.walsender-stalled}), or unknown (positions
 *                     hidden from a role without pg_read_all_stats)
 * @param stalledSince since when the confirmed position has not moved while changes were waiting; null otherwise
 */
@RegisterForReflection
public record WalSenderInfo(@JsonUnwrapped WalSenderReading reading, WalSenderActivity activity, Instant stalledSince,
                            Health health) {
}

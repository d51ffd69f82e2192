package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A logical walsender from {@code pg_stat_replication}: the source's side of a subscription's connection.
 * The lag columns are measured by the walsender and go null soon after the source stops writing.
 *
 * @param slotName     the slot it streams from
 * @param pendingBytes the source's current position minus the subscriber's reported flush position; null if unknown
 * @param activity     idle (nothing pending, or a quiet source: lag columns null and the confirmed position
 *                     moving), streaming (lags measured, confirmed position moving), stalled (changes pending and
 *                     no confirmed progress for {@code monitor.thresholds.walsender-stalled}), or unknown (positions
 *                     hidden from a role without pg_read_all_stats)
 * @param stalledSince since when the confirmed position has not moved while changes were waiting; null otherwise
 */
@RegisterForReflection
public record WalSenderInfo(int pid, String applicationName, String slotName, String state, Lsn sentLsn, Lsn writeLsn,
                            Lsn flushLsn, Lsn replayLsn, Long writeLagMillis, Long flushLagMillis, Long replayLagMillis,
                            Instant replyTime, Long pendingBytes, WalSenderActivity activity, Instant stalledSince, Health health) {

    public WalSenderInfo withActivity(WalSenderActivity newActivity, Instant since, Health newHealth) {
        return new WalSenderInfo(pid, applicationName, slotName, state, sentLsn, writeLsn, flushLsn, replayLsn,
                writeLagMillis, flushLagMillis, replayLagMillis, replyTime, pendingBytes, newActivity, since, newHealth);
    }
}

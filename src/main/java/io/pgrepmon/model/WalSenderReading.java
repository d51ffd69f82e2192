package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A logical walsender from {@code pg_stat_replication}: the source's side of a subscription's connection.
 * The lag columns are measured by the walsender and go null soon after the source stops writing.
 *
 * @param slotName     the slot it streams from
 * @param pendingBytes the source's current position minus the subscriber's reported flush position; null if unknown
 */
@RegisterForReflection
public record WalSenderReading(int pid, String applicationName, String slotName, String state, Lsn sentLsn,
                               Lsn writeLsn, Lsn flushLsn, Lsn replayLsn, Long writeLagMillis, Long flushLagMillis,
                               Long replayLagMillis, Instant replyTime, Long pendingBytes) {
}

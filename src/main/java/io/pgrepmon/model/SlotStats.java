package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * Logical decoding statistics of one slot from {@code pg_stat_replication_slots} (PostgreSQL 14+), cumulative
 * since {@code statsReset}. Spilled transactions were too large for {@code logical_decoding_work_mem} and went to
 * disk; streamed ones were sent before commit.
 */
@RegisterForReflection
public record SlotStats(String slotName, long spillTxns, long spillCount, long spillBytes, long streamTxns, long streamCount,
                        long streamBytes, long totalTxns, long totalBytes, Instant statsReset) {
}

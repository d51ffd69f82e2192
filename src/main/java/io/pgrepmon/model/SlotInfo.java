package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A logical replication slot on a source. A field the server's version does not offer is null
 * (e.g. {@code twoPhase} before 14, {@code conflicting} before 16, {@code failover} before 17).
 *
 * @param tableSync          a slot a subscriber's table-sync worker made for one table's initial copy
 *                           ({@code pg_<subid>_sync_<relid>_<sysid>}); it is dropped when the table is synchronized
 * @param lagBytes           bytes from the confirmed flush position to the server's current position; null when unknown
 * @param retainedBytes      WAL the slot keeps on disk (current position minus restart position); null when unknown
 * @param walStatus          reserved, extended, unreserved or lost (PostgreSQL 13+)
 * @param safeWalSize        bytes that may still be written before the slot is in danger (null when unlimited)
 * @param inactiveSince      when the slot was last seen without a consumer: the server's own {@code inactive_since}
 *                           on 17+, otherwise the first poll that saw it inactive
 * @param conflicting        invalidated by a recovery conflict (16+; slots on standbys)
 * @param invalidationReason why the server invalidated the slot, e.g. wal_removed (17+)
 * @param stats              decoding statistics from {@code pg_stat_replication_slots} (14+)
 */
@RegisterForReflection
public record SlotInfo(String name, String plugin, String database, boolean temporary, boolean tableSync, boolean active, Integer activePid,
                       Lsn restartLsn, Lsn confirmedFlushLsn, Long lagBytes, Long retainedBytes,
                       String walStatus, Long safeWalSize, Boolean twoPhase, Boolean conflicting, Instant inactiveSince,
                       String invalidationReason, Boolean failover, Boolean synced, SlotStats stats, Health health) {

    private static final java.util.regex.Pattern TABLE_SYNC = java.util.regex.Pattern.compile("pg_\\d+_sync_\\d+_\\d+");

    /** Whether a slot name is one PostgreSQL gives table-sync slots. */
    public static boolean isTableSync(String name) {
        return name != null && TABLE_SYNC.matcher(name).matches();
    }

    public SlotInfo withInactiveSince(Instant since) {
        return new SlotInfo(name, plugin, database, temporary, tableSync, active, activePid, restartLsn, confirmedFlushLsn, lagBytes,
                retainedBytes, walStatus, safeWalSize, twoPhase, conflicting, since, invalidationReason, failover, synced,
                stats, health);
    }

    public SlotInfo withStats(SlotStats newStats) {
        return new SlotInfo(name, plugin, database, temporary, tableSync, active, activePid, restartLsn, confirmedFlushLsn, lagBytes,
                retainedBytes, walStatus, safeWalSize, twoPhase, conflicting, inactiveSince, invalidationReason, failover,
                synced, newStats, health);
    }

    public SlotInfo withHealth(Health newHealth) {
        return new SlotInfo(name, plugin, database, temporary, tableSync, active, activePid, restartLsn, confirmedFlushLsn, lagBytes,
                retainedBytes, walStatus, safeWalSize, twoPhase, conflicting, inactiveSince, invalidationReason, failover,
                synced, stats, newHealth);
    }
}

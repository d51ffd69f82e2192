package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * @param inactiveSince      the server's own {@code inactive_since} (17+); the view publishes the monitor's
 *                           judgment instead, which falls back to the first poll that saw the slot inactive
 * @param conflicting        invalidated by a recovery conflict (16+; slots on standbys)
 * @param invalidationReason why the server invalidated the slot, e.g. wal_removed (17+)
 */
@RegisterForReflection
public record SlotReading(String name, String plugin, String database, boolean temporary, boolean tableSync,
                          boolean active, Integer activePid, Lsn restartLsn, Lsn confirmedFlushLsn, Long lagBytes,
                          Long retainedBytes, String walStatus, Long safeWalSize, Boolean twoPhase, Boolean conflicting,
                          @JsonIgnore Instant inactiveSince, String invalidationReason, Boolean failover,
                          Boolean synced) {

    private static final java.util.regex.Pattern TABLE_SYNC = java.util.regex.Pattern.compile("pg_\\d+_sync_\\d+_\\d+");

    /** Whether a slot name is one PostgreSQL gives table-sync slots. */
    public static boolean isTableSync(String name) {
        return name != null && TABLE_SYNC.matcher(name).matches();
    }
}

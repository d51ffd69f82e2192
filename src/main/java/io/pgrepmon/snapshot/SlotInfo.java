package io.pgrepmon.snapshot;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A logical replication slot on a source.
 *
 * @param lagBytes       bytes from the confirmed flush position to the server's current position; null when unknown
 * @param retainedBytes  WAL the slot keeps on disk (current position minus restart position); null when unknown
 * @param walStatus      reserved, extended, unreserved or lost (PostgreSQL 13+), null before
 * @param safeWalSize    bytes that may still be written before the slot is in danger (13+, null when unlimited)
 * @param inactiveSince  when the slot was last seen without a consumer: the server's own {@code inactive_since}
 *                       on 17+, otherwise the first poll that saw it inactive
 */
@RegisterForReflection
public record SlotInfo(String name, String plugin, String database, boolean active, Integer activePid,
                       Lsn restartLsn, Lsn confirmedFlushLsn, Long lagBytes, Long retainedBytes,
                       String walStatus, Long safeWalSize, Instant inactiveSince, Health health) {

    public SlotInfo withInactiveSince(Instant since) {
        return new SlotInfo(name, plugin, database, active, activePid, restartLsn, confirmedFlushLsn, lagBytes,
                retainedBytes, walStatus, safeWalSize, since, health);
    }

    public SlotInfo withHealth(Health newHealth) {
        return new SlotInfo(name, plugin, database, active, activePid, restartLsn, confirmedFlushLsn, lagBytes,
                retainedBytes, walStatus, safeWalSize, inactiveSince, newHealth);
    }
}

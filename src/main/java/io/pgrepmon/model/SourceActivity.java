package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * Whether a source is still being written to, for the cutover's "source quiet" check; on a target, whether
 * anything but its subscriptions writes there ("target quiet").
 *
 * @param writingTransactions sessions of this database holding a transaction id (writing), the monitor and autovacuum
 *                            aside
 * @param procedureSessions   sessions of this database running a procedure or a DO block ({@code CALL}, {@code DO}),
 *                            holding a transaction id or not: between its COMMITs such a session holds none, yet it
 *                            writes again, and its row counters show only when the statement ends
 * @param hiddenSessions    sessions of this database with {@code track_activities} off (state {@code disabled}): what
 *                          they run, a procedure between its COMMITs included, cannot be seen
 * @param preparedTransactions prepared transactions ({@code PREPARE TRANSACTION}) that can still commit
 * @param upstreamSubscriptions enabled subscriptions of this database: writes arrive through them
 * @param ownSubscriptions      subscriptions of this database, enabled or not: it is itself a subscriber
 * @param rowChanges          rows inserted, updated and deleted in this database since its statistics were reset
 * @param readOnly            {@code default_transaction_read_only} is on
 * @param largeObjects        large objects in the database: logical replication does not carry them
 * @param foreignOrigins      replication origins of the server that belong to no subscription (pglogical, other
 *                            tools, or a session's {@code pg_replication_origin_session_setup}): changes written under
 *                            them are not sent to a subscription with {@code origin = none}
 * @param unchangedSince      the first poll that saw {@code rowChanges} at its current value
 */
@RegisterForReflection
public record SourceActivity(int writingTransactions, int procedureSessions, int hiddenSessions, int preparedTransactions, int upstreamSubscriptions,
                             int ownSubscriptions, long rowChanges, boolean readOnly, long largeObjects, int foreignOrigins,
                             Instant unchangedSince) {

    public SourceActivity since(Instant since) {
        return new SourceActivity(writingTransactions, procedureSessions, hiddenSessions, preparedTransactions, upstreamSubscriptions, ownSubscriptions, rowChanges, readOnly,
                largeObjects, foreignOrigins, since);
    }
}

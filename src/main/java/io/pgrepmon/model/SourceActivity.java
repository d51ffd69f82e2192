package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * Whether a source is still being written to, for the cutover's "source quiet" check.
 *
 * @param writingTransactions client sessions of this database holding a transaction id (writing), the monitor aside
 * @param rowChanges          rows inserted, updated and deleted in this database since its statistics were reset
 * @param readOnly            {@code default_transaction_read_only} is on
 * @param largeObjects        large objects in the database: logical replication does not carry them
 * @param unchangedSince      the first poll that saw {@code rowChanges} at its current value
 */
@RegisterForReflection
public record SourceActivity(int writingTransactions, long rowChanges, boolean readOnly, long largeObjects,
                             Instant unchangedSince) {

    public SourceActivity since(Instant since) {
        return new SourceActivity(writingTransactions, rowChanges, readOnly, largeObjects, since);
    }
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a deep check's evidence rests on, read from one database's catalogs: when any part differs from the one the
 * deep check read, its results may no longer hold. Each text is a hash, meaningful only compared with another.
 *
 * @param tables        the user tables' definitions: columns (types, collations, NOT NULL, identity, defaults),
 *                      indexes, constraints, triggers (whether each fires, and its function's source), rules, inheritance, extension membership, replica
 *                      identity and storage ({@code relfilenode}, which TRUNCATE, VACUUM FULL and CLUSTER renew)
 * @param publications  the publications and what each publishes (tables, schemas, row filters, column lists)
 * @param subscriptions the database's subscriptions (by oid, so one dropped and recreated under its name differs)
 *                      and the tables each has
 * @param sequences     the sequences' definitions (increment, bounds, cycle) and the last values the role may read;
 *                      a sequence whose value is locked against reading makes it differ from every other read
 * @param rowChanges    rows inserted, updated and deleted in user tables (the heartbeat aside), by anyone,
 *                      including an apply worker
 * @param catalogChanges the row counters of the catalogs that define tables when {@code tables} was hashed: the
 *                      cheap test of whether it must be hashed again
 * @param tablesRead    whether {@code tables} was hashed in this read; false when it was carried from an earlier
 *                      one because the catalog counters had not moved (which a late or lost counter can fool)
 */
@RegisterForReflection
public record Fingerprint(String tables, String publications, String subscriptions, String sequences, long rowChanges,
                          String catalogChanges, boolean tablesRead) {

    /** {@code rowChanges} of a fingerprint read without summing them, until {@link #withRowChanges} sets them. */
    public static final long ROWS_NOT_READ = -1;

    public Fingerprint withRowChanges(long rows) {
        return new Fingerprint(tables, publications, subscriptions, sequences, rows, catalogChanges, tablesRead);
    }
}

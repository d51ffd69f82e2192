package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * One table's rows compared in content between source and target, chunk by chunk in key order.
 *
 * @param rows          rows hashed on the source
 * @param chunks        key ranges compared
 * @param detail        for differ, the first differing key range and both sides' counts in it; for unknown, why;
 *                      for a match carried from an earlier run, that it was
 * @param provenAt      for a match, when its comparison began: the proof holds from there while nothing but
 *                      replication changes the table
 * @param sourceChanges the table's row changes ({@code n_tup_ins + n_tup_upd + n_tup_del}) on the source when its
 *                      comparison began, and {@code targetChanges} on the target (read first): a later run carries
 *                      the match only when both have moved by the same number since
 */
@RegisterForReflection
public record TableContent(String table, Result result, long rows, int chunks, String detail, Instant provenAt,
                           @JsonIgnore Long sourceChanges, @JsonIgnore Long targetChanges) {

    public TableContent(String table, Result result, long rows, int chunks, String detail) {
        this(table, result, rows, chunks, detail, null, null, null);
    }

    /** This match, proven when its comparison began with these row-change counters. */
    public TableContent proven(Instant at, Long sourceChanges, Long targetChanges) {
        return new TableContent(table, result, rows, chunks, detail, at, sourceChanges, targetChanges);
    }

    /**
     * This match, carried into a later run because no row of the table changed since, on either side.
     *
     * @param rowsNow the table's exact count in this run
     */
    public TableContent carried(long rowsNow) {
        return new TableContent(table, result, rowsNow, chunks, "proven at " + provenAt + "; since then no row of it changed"
                + " on either side and nothing it rests on changed, so it was not hashed again",
                provenAt, sourceChanges, targetChanges);
    }

    /** Match, differ (a key range whose rows are not the same on both sides), or unknown. */
    public enum Result {
        MATCH, DIFFER, UNKNOWN;

        @JsonValue
        public String code() {
            return Codes.of(this);
        }
    }
}

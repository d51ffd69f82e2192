package io.pgrepmon.judge.cutover;

import io.pgrepmon.db.Sql;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.TableContent;
import io.pgrepmon.model.TableContent.Result;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Compares the rows of the subscribed tables in content: both sides hash each key range of a table (its primary
 * key, or its replica-identity index) and the hashes must be equal. Values are rendered by each session's output
 * functions, so both sessions are opened with the same time zone, date and interval style, float digits and bytea
 * output ({@link #SESSION}), and rows are hashed with their columns in name order and keys compared with the "C"
 * collation, so a match across major versions and collations is a real match.
 * <p>
 * It runs while replication runs: a range is hashed on the source (with the source's WAL position in the same
 * snapshot), then on the target once the pair's slot has confirmed that position, and is called different only if
 * it still differs when hashed a second time with the source unchanged. It is bounded: a row budget per run (tables
 * beyond it are unknown, never sampled), rows per chunk, a pause between chunks and the deep check's statement
 * timeout.
 */
final class ContentComparer {

    /** Session settings both sides render values with. */
    static final Map<String, String> SESSION = Map.of("TimeZone", "UTC", "DateStyle", "ISO, YMD",
            "IntervalStyle", "postgres", "extra_float_digits", "3", "bytea_output", "hex", "lc_monetary", "C");

    private static final Duration APPLY_WAIT = Duration.ofSeconds(10);

    private final SqlConnection source;
    private final SqlConnection target;
    private final String slot;
    private final long chunkRows;
    private final Duration pause;
    private final AtomicLong budget;
    private final java.util.function.LongConsumer onRange;

    /**
     * @param slot      the pair's slot on the source, whose confirmed position tells that the target has applied
     * @param maxRows   the row budget of this run, over all tables
     * @param chunkRows rows per key range
     * @param pause     between two ranges, so the comparison never saturates either server
     * @param onRange   told the source rows of each key range compared, for progress
     */
    ContentComparer(SqlConnection source, SqlConnection target, String slot, long maxRows, long chunkRows, Duration pause,
                    java.util.function.LongConsumer onRange) {
        this.onRange = onRange;
        this.source = source;
        this.target = target;
        this.slot = slot;
        this.chunkRows = chunkRows;
        this.pause = pause;
        this.budget = new AtomicLong(maxRows);
    }

    /** The key a table's rows are ordered and ranged by, and its columns in name order. */
    record Shape(String quoted, List<String> keys, List<String> keyTypes, List<Boolean> collatable, List<String> columns) {

        String keyExpr() {
            List<String> exprs = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                exprs.add(Sql.quoteIdent(keys.get(i)) + (collatable.get(i) ? " COLLATE \"C\"" : ""));
            }
            return "ROW(" + String.join(", ", exprs) + ")";
        }

        /** {@code ROW($from::type, ...)} for a bound given as parameters starting at {@code from}. */
        String bound(int from) {
            List<String> params = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                // The bounds travel as text (read as text from the source) and the server casts them: typed as the
                // key's own type, the parameter would make the client demand a Number for a bigint key.
                params.add("$" + (from + i) + "::text::" + keyTypes.get(i) + (collatable.get(i) ? " COLLATE \"C\"" : ""));
            }
            return "ROW(" + String.join(", ", params) + ")";
        }

        String orderBy() {
            List<String> exprs = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                exprs.add(Sql.quoteIdent(keys.get(i)) + (collatable.get(i) ? " COLLATE \"C\"" : ""));
            }
            return String.join(", ", exprs);
        }

        String rowText() {
            return "ROW(" + columns.stream().map(Sql::quoteIdent).collect(Collectors.joining(", ")) + ")::text";
        }
    }

    private static final String SHAPE = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, t.typcollation <> 0 AS collatable
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE i.indexrelid = (SELECT x.indexrelid FROM pg_index x
                                  WHERE x.indrelid = $1::regclass AND (x.indisprimary OR x.indisreplident)
                                  ORDER BY x.indisprimary DESC LIMIT 1)
              AND k.ord <= i.indnkeyatts
            ORDER BY k.ord
            """;

    private static final String COLUMNS = """
            SELECT attname FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
            ORDER BY attname COLLATE "C"
            """;

    /**
     * @param table    {@code schema.table} as shown
     * @param quoted   the quoted name to query
     * @param rows     the source's exact count, or null when not counted (then it is not compared)
     */
    Uni<TableContent> compare(String table, String quoted, Long rows) {
        if (rows == null) {
            return Uni.createFrom().item(new TableContent(table, Result.UNKNOWN, 0, 0,
                    "its counts differ or were not taken, so its content was not compared"));
        }
        if (rows > budget.get()) {
            return Uni.createFrom().item(new TableContent(table, Result.UNKNOWN, 0, 0, rows + " rows, above what is left"
                    + " of monitor.cutover.content-max-rows this run (" + budget.get() + "): not compared"));
        }
        budget.addAndGet(-rows);
        return shape(quoted).flatMap(shape -> shape.keys().isEmpty()
                        ? Uni.createFrom().item(new TableContent(table, Result.UNKNOWN, 0, 0,
                        "no primary key or replica-identity index to range its rows by: not compared"))
                        : boundaries(shape).flatMap(bounds -> compareRanges(table, shape, bounds)))
                .onFailure().recoverWithItem(e -> new TableContent(table, Result.UNKNOWN, 0, 0,
                        "comparison failed: " + e.getMessage()));
    }

    private Uni<Shape> shape(String quoted) {
        Tuple name = Tuple.of(quoted);
        return source.preparedQuery(SHAPE).execute(name).flatMap(keyRows -> {
            List<String> keys = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Boolean> collatable = new ArrayList<>();
            for (Row r : keyRows) {
                keys.add(r.getString("attname"));
                types.add(r.getString("type"));
                collatable.add(r.getBoolean("collatable"));
            }
            return source.preparedQuery(COLUMNS).execute(name).map(cols -> {
                List<String> columns = new ArrayList<>();
                cols.forEach(c -> columns.add(c.getString("attname")));
                return new Shape(quoted, keys, types, collatable, columns);
            });
        });
    }

    /** Every {@code chunkRows}-th key on the source, as text: the upper bounds of the ranges but the last. */
    private Uni<List<List<String>>> boundaries(Shape shape) {
        String keysText = shape.keys().stream().map(k -> Sql.quoteIdent(k) + "::text").collect(Collectors.joining(", "));
        String sql = "SELECT " + keysText + " FROM (SELECT " + shape.keys().stream().map(Sql::quoteIdent)
                .collect(Collectors.joining(", ")) + ", row_number() OVER (ORDER BY " + shape.orderBy() + ") AS rn FROM "
                + shape.quoted() + ") x WHERE rn % " + chunkRows + " = 0 ORDER BY rn";
        return source.query(sql).execute().map(rows -> {
            List<List<String>> bounds = new ArrayList<>();
            for (Row r : rows) {
                List<String> b = new ArrayList<>();
                for (int i = 0; i < shape.keys().size(); i++) {
                    b.add(r.getString(i));
                }
                bounds.add(b);
            }
            return bounds;
        });
    }

    private record Range(List<String> lower, List<String> upper) {
    }

    private record Hash(long rows, String md5) {
    }

    /** A key range's outcome: its rows on the source, and what differs (null when it matches). */
    private record Outcome(long rows, String differs, boolean changing) {
    }

    private Uni<TableContent> compareRanges(String table, Shape shape, List<List<String>> bounds) {
        List<Range> ranges = new ArrayList<>();
        List<String> previous = null;
        for (List<String> b : bounds) {
            ranges.add(new Range(previous, b));
            previous = b;
        }
        ranges.add(new Range(previous, null));
        return Multi.createFrom().iterable(ranges)
                .onItem().transformToUniAndConcatenate(range -> compareRange(shape, range)
                        .invoke(outcome -> onRange.accept(outcome.rows()))
                        .onItem().call(() -> pause.isZero() ? Uni.createFrom().voidItem()
                                : Uni.createFrom().voidItem().onItem().delayIt().by(pause)))
                .collect().asList()
                .map(outcomes -> {
                    long rows = outcomes.stream().mapToLong(Outcome::rows).sum();
                    for (int i = 0; i < outcomes.size(); i++) {
                        if (outcomes.get(i).differs() != null) {
                            return new TableContent(table, Result.DIFFER, rows, outcomes.size(),
                                    "rows differ in key range " + describe(ranges.get(i)) + ": " + outcomes.get(i).differs());
                        }
                    }
                    for (int i = 0; i < outcomes.size(); i++) {
                        if (outcomes.get(i).changing()) {
                            return new TableContent(table, Result.UNKNOWN, rows, outcomes.size(), "key range "
                                    + describe(ranges.get(i)) + " changed on the source while it was compared, or the"
                                    + " target had not applied it within " + APPLY_WAIT.toSeconds() + " s");
                        }
                    }
                    return new TableContent(table, Result.MATCH, rows, outcomes.size(), null);
                });
    }

    private static String describe(Range range) {
        return (range.lower() == null ? "(start" : "(" + String.join(", ", range.lower())) + " .. "
                + (range.upper() == null ? "end)" : String.join(", ", range.upper()) + "]");
    }

    /**
     * A range that differs is hashed again: it differs only if it still does with the source unchanged in between
     * (the target may have applied later changes than the source's hash held); a source that changed is unknown.
     */
    private Uni<Outcome> compareRange(Shape shape, Range range) {
        return attempt(shape, range).flatMap(first -> first.matches()
                ? Uni.createFrom().item(new Outcome(first.source().rows(), null, false))
                : attempt(shape, range).map(second -> second.matches()
                ? new Outcome(second.source().rows(), null, false)
                : second.target() == null || !second.source().md5().equals(first.source().md5())
                ? new Outcome(second.source().rows(), null, true)
                : new Outcome(second.source().rows(), second.source().rows() + " row(s) on the source, "
                + second.target().rows() + " on the target", false)));
    }

    /** {@code target} is null when the target had not applied the source's position in time. */
    private record Attempt(Hash source, Hash target) {
        boolean matches() {
            return target != null && source.rows() == target.rows() && source.md5().equals(target.md5());
        }
    }

    private Uni<Attempt> attempt(Shape shape, Range range) {
        String where = (range.lower() == null ? "true" : shape.keyExpr() + " > " + shape.bound(1))
                + " AND " + (range.upper() == null ? "true"
                : shape.keyExpr() + " <= " + shape.bound(range.lower() == null ? 1 : 1 + shape.keys().size()));
        String hash = "SELECT count(*) AS n, md5(coalesce(string_agg(md5(" + shape.rowText() + "), '' ORDER BY "
                + shape.orderBy() + "), '')) AS h, %s AS lsn FROM " + shape.quoted() + " WHERE " + where;
        List<Object> params = new ArrayList<>();
        if (range.lower() != null) {
            params.addAll(range.lower());
        }
        if (range.upper() != null) {
            params.addAll(range.upper());
        }
        Tuple tuple = Tuple.from(params);
        // The position is read in the statement that hashes: the snapshot it hashes holds nothing committed after it.
        return source.preparedQuery(hash.formatted("pg_current_wal_lsn()::text")).execute(tuple)
                .map(rows -> rows.iterator().next())
                .flatMap(s -> appliedPast(Lsn.parse(s.getString("lsn")), APPLY_WAIT)
                        .flatMap(applied -> !applied
                                ? Uni.createFrom().item(new Attempt(new Hash(s.getLong("n"), s.getString("h")), null))
                                : target.preparedQuery(hash.formatted("NULL::text")).execute(tuple)
                                .map(rows -> rows.iterator().next())
                                .map(t -> new Attempt(new Hash(s.getLong("n"), s.getString("h")),
                                        new Hash(t.getLong("n"), t.getString("h"))))));
    }

    /** Waits (without blocking) until the slot has confirmed the position, or the wait is over. */
    private Uni<Boolean> appliedPast(Lsn position, Duration wait) {
        return source.preparedQuery("SELECT confirmed_flush_lsn >= $1::pg_lsn AS done FROM pg_replication_slots"
                        + " WHERE slot_name = $2").execute(Tuple.of(position.toString(), slot))
                .map(rows -> rows.iterator().hasNext() && Boolean.TRUE.equals(rows.iterator().next().getBoolean("done")))
                .flatMap(done -> done || wait.isNegative() || wait.isZero() ? Uni.createFrom().item(done)
                        : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(200))
                        .flatMap(x -> appliedPast(position, wait.minusMillis(200))));
    }
}

package io.pgrepmon.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What every reader of a monitored database needs: running a query into records, and quoting names. */
public final class Sql {

    private Sql() {
    }

    /** Runs a query without parameters and maps every row. */
    public static <T> Uni<List<T>> rows(SqlConnection connection, String sql, Function<Row, T> mapper) {
        return connection.query(sql).execute().map(rows -> {
            List<T> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }

    /** A timestamptz column as an instant, null where the column is. */
    public static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }

    /** An SQL identifier in double quotes, as quote_ident gives it, for names that come from the catalogs or config. */
    public static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

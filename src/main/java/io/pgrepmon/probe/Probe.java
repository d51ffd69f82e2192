package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.snapshot.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One catalog view read on one database. Each probe picks its SQL by the server's version (never by trying and
 * failing), runs on the connection the poller gives it, and may fail on its own without stopping the others.
 */
public interface Probe<T> {

    /** Short name used in probe reports, e.g. {@code slots}. */
    String name();

    /** Whether this probe reads anything on a database of this role and server. */
    boolean appliesTo(Role role, ServerInfo server);

    Uni<List<T>> read(SqlConnection connection, ServerInfo server);

    /** Runs a query without parameters and maps every row. */
    static <T> Uni<List<T>> rows(SqlConnection connection, String sql, Function<Row, T> mapper) {
        return connection.query(sql).execute().map(rows -> {
            List<T> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }

    /** An SQL identifier in double quotes, as quote_ident gives it, for names that come from the catalogs or config. */
    static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The version-dependent part of a select list: the expression where the server has it, a typed NULL where not. */
    static String since(ServerInfo server, int versionNum, String expression, String nullType) {
        return server.versionNum() >= versionNum ? expression : "NULL::" + nullType;
    }
}

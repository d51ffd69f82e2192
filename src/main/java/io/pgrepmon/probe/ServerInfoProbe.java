package io.pgrepmon.probe;

import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Version, recovery state, WAL position and the monitor's own privileges on any database. Runs first: its result
 * chooses the other probes' queries, and its failure means the database is unreachable.
 */
public final class ServerInfoProbe {

    // pg_current_wal_lsn() fails on a standby: the CASE only evaluates it on a primary.
    // pg_has_role(..., 'USAGE') follows inherited membership, as privilege checks do; superusers pass it.
    static final String SQL = """
            SELECT current_setting('server_version_num')::int AS version_num,
                   current_setting('server_version') AS version,
                   pg_is_in_recovery() AS in_recovery,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                         ELSE pg_current_wal_lsn() END)::text AS current_lsn,
                   current_user::text AS monitor_user,
                   pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats
            """;

    private ServerInfoProbe() {
    }

    public static Uni<ServerInfo> read(SqlConnection connection) {
        return connection.query(SQL).execute().map(rows -> from(rows.iterator().next()));
    }

    static ServerInfo from(Row row) {
        return new ServerInfo(row.getInteger("version_num"), row.getString("version"), row.getBoolean("in_recovery"),
                Lsn.parse(row.getString("current_lsn")), row.getString("monitor_user"), row.getBoolean("read_all_stats"));
    }
}

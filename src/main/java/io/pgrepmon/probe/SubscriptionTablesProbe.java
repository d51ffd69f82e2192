package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.CopyProgress;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SubscriptionTable;
import io.vertx.mutiny.sqlclient.Row;


/**
 * Every table of the connected database's subscriptions from {@code pg_subscription_rel} (which is per database),
 * with the table-sync worker copying it and, from 14, that worker's {@code pg_stat_progress_copy} row.
 */
public final class SubscriptionTablesProbe extends RoleProbe<SubscriptionTableRow> {

    private static final String SQL = """
            SELECT s.subname AS subname, n.nspname AS schema_name, c.relname AS table_name, r.srsubstate::text AS state,
                   r.srsublsn::text AS sync_lsn, w.pid AS sync_pid,
                   p.bytes_processed AS bytes_processed, p.tuples_processed AS tuples_processed
            FROM pg_subscription_rel r
            JOIN pg_subscription s ON s.oid = r.srsubid
            JOIN pg_class c ON c.oid = r.srrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_subscription w ON w.subid = r.srsubid AND w.relid = r.srrelid
            LEFT JOIN pg_stat_progress_copy p ON p.pid = w.pid AND p.relid = r.srrelid
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY 1, 2, 3
            """;

    /**
     * PostgreSQL 13 does not let a non-superuser read {@code pg_subscription.oid} (14 added it to the column grant),
     * so the subscription's name comes from one of its workers, or from the database's only subscription.
     * {@code pg_subscription_rel} is per database, so no filter is needed. There is no copy progress view on 13.
     */
    private static final String SQL_13 = """
            SELECT COALESCE(
                       (SELECT x.subname FROM pg_stat_subscription x WHERE x.subid = r.srsubid LIMIT 1),
                       (SELECT min(s.subname) FROM pg_subscription s
                        WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                        HAVING count(*) = 1),
                       'subscription oid ' || r.srsubid) AS subname,
                   n.nspname AS schema_name, c.relname AS table_name, r.srsubstate::text AS state,
                   r.srsublsn::text AS sync_lsn, w.pid AS sync_pid,
                   NULL::bigint AS bytes_processed, NULL::bigint AS tuples_processed
            FROM pg_subscription_rel r
            JOIN pg_class c ON c.oid = r.srrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_subscription w ON w.subid = r.srsubid AND w.relid = r.srrelid
            ORDER BY 1, 2, 3
            """;

    public SubscriptionTablesProbe() {
        super("subscription-tables", Role.TARGET, 0);
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        if (server.versionNum() < 140000) {
            return SQL_13;
        }
        return SQL;
    }

    @Override
    public SubscriptionTableRow map(Row row, ServerInfo server) {
        String state = row.getString("state");
        Long bytes = row.getLong("bytes_processed");
        Long tuples = row.getLong("tuples_processed");
        CopyProgress copy = bytes == null ? null : new CopyProgress(bytes, tuples == null ? 0 : tuples, null, null);
        return new SubscriptionTableRow(row.getString("subname"), new SubscriptionTable(row.getString("schema_name"),
                row.getString("table_name"), state, SubscriptionTable.stateName(state), Lsn.parse(row.getString("sync_lsn")),
                row.getInteger("sync_pid"), null, copy));
    }
}

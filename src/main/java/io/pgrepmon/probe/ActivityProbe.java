package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SourceActivity;
import io.vertx.mutiny.sqlclient.Row;


/**
 * Write activity of a database. On a source: sessions holding a transaction id (client sessions, background workers
 * such as scheduled jobs, apply workers of its own subscriptions), sessions running a procedure or DO block (which
 * may COMMIT and write again without holding a transaction id in between), sessions with track_activities off (whose
 * statements, such a procedure's included, cannot be seen), prepared transactions that can still commit,
 * its own enabled subscriptions (writes that arrive from further up), the row-change counters of its user tables
 * (the monitor's own heartbeat table aside), whether it defaults to read-only, and how many large objects it holds.
 * It is registered before the slots probe: a transaction that had committed when this statement looked is then
 * inside the WAL position the slots' lag is measured against, so "caught up" covers it. On a target the same
 * statement, with the subscriptions' own workers left out of the writers: what else writes there puts rows on the
 * target that the source does not have.
 */
public final class ActivityProbe extends RoleProbe<SourceActivity> {

    static final String SQL = """
            SELECT (SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
                      AND backend_type NOT IN ('autovacuum worker', 'autovacuum launcher')%2$s)::int AS writing,
                   (SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
                      AND query ~* '%4$s'%2$s)::int AS procedures,
                   (SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'disabled' AND pid <> pg_backend_pid()
                      AND backend_type NOT IN ('autovacuum worker', 'autovacuum launcher', 'walsender')%2$s)::int AS hidden,
                   (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database())::int AS prepared,
                   (SELECT count(*) FILTER (WHERE subenabled) FROM pg_subscription
                    WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()))::int AS subscribed,
                   (SELECT count(*) FROM pg_subscription
                    WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()))::int AS subscriptions,
                   %3$s AS row_changes,
                   current_setting('default_transaction_read_only')::boolean AS read_only,
                   (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
                   %5$s::int AS foreign_origins
            """;

    /**
     * A statement that is a CALL or a DO block, after any blank, line comment or block comment, or such a statement
     * after a semicolon in a string of several.
     */
    static final String PROCEDURE = "(^|;)(\\s|--[^\\n]*\\n|/\\*([^*]|\\*+[^*/])*\\*+/)*(call|do)\\M";

    /**
     * Replication origins of the server that no subscription owns (its apply origin {@code pg_<oid>}, its table
     * syncs' {@code pg_<oid>_<relid>}): only a subscription with {@code origin = none} (16+) filters changes by
     * origin, and before 14 the public may not read pg_subscription.oid.
     */
    static final String FOREIGN_ORIGINS = """
            (SELECT count(*) FROM pg_replication_origin o
             WHERE NOT EXISTS (SELECT 1 FROM pg_subscription s
                               WHERE o.roname = 'pg_' || s.oid OR o.roname LIKE 'pg\\_' || s.oid || '\\_%'))""";

    /**
     * Rows inserted, updated and deleted in user tables, the heartbeat aside: what {@code pg_stat_user_tables} sums,
     * read from its functions directly, which costs half as much with thousands of tables.
     */
    static final String ROW_CHANGES = """
            (SELECT coalesce(sum(pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
                                 + pg_stat_get_tuples_deleted(c.oid)), 0)
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname !~ '^pg_toast' AND c.relname <> '%s')::bigint""".formatted(HeartbeatProbe.TABLE);

    // Apply, table-sync and parallel apply workers ('logical replication worker' before 17).
    private static final String REPLICATION_WORKERS = "\n      AND backend_type NOT LIKE 'logical replication %'";

    public ActivityProbe() {
        super("activity", Role.SOURCE, 0);
    }

    @Override
    public boolean appliesTo(DatabaseSettings db, ServerInfo server) {
        return true;
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        return SQL.formatted(HeartbeatProbe.TABLE, db.role() == Role.TARGET ? REPLICATION_WORKERS : "", ROW_CHANGES,
                PROCEDURE, server.versionNum() >= 160000 ? FOREIGN_ORIGINS : "0");
    }

    @Override
    public SourceActivity map(Row row, ServerInfo server) {
        return new SourceActivity(row.getInteger("writing"), row.getInteger("procedures"), row.getInteger("hidden"), row.getInteger("prepared"), row.getInteger("subscribed"),
                row.getInteger("subscriptions"), row.getLong("row_changes"), row.getBoolean("read_only"), row.getLong("large_objects"),
                row.getInteger("foreign_origins"), null);
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.vertx.mutiny.sqlclient.Row;

import java.util.List;

import static io.pgrepmon.probe.Probe.since;

/**
 * Subscriptions of the connected database from {@code pg_subscription}, each with its apply worker from
 * {@code pg_stat_subscription}. The LEFT JOIN keeps disabled subscriptions, which have no worker row.
 * {@code subconninfo} is never selected: it may hold the publisher's password.
 */
public final class SubscriptionsProbe extends RoleProbe<SubscriptionReading> {

    // Ages are computed with the subscriber's own clock; the send time is the publisher's, so its age includes skew.
    private static final String SQL = """
            SELECT s.subname, s.subenabled, s.subslotname, s.subpublications::text[] AS publications,
                   w.pid, w.received_lsn::text AS received_lsn, w.latest_end_lsn::text AS latest_end_lsn,
                   w.last_msg_send_time, w.last_msg_receipt_time, w.latest_end_time,
                   (extract(epoch FROM now() - w.last_msg_send_time) * 1000)::bigint AS send_age_ms,
                   (extract(epoch FROM now() - w.last_msg_receipt_time) * 1000)::bigint AS receipt_age_ms,
                   %s AS streaming, %s AS two_phase, %s AS disable_on_error,
                   (SELECT count(*) FROM pg_stat_subscription x WHERE %s AND x.relid IS NOT NULL)::int
                       AS sync_workers,
                   %s AS parallel_workers,
                   %s AS origin
            FROM pg_subscription s
            LEFT JOIN pg_stat_subscription w ON %s AND %s
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY s.subname
            """;

    public SubscriptionsProbe() {
        super("subscriptions", Role.TARGET, 0);
    }

    /**
     * The apply worker's row: table-sync workers have a relid; 16 adds parallel apply workers (leader_pid set);
     * 17 names the kind. {@code substream} is a boolean on 14 and 15, a "char" (f, t, p) from 16.
     * PostgreSQL 13 does not let a non-superuser read {@code pg_subscription.oid}: workers are matched by name
     * there (pg_stat_subscription is cluster-wide, so a same-named subscription in another database would mix in).
     */
    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        int v = server.versionNum();
        String applyWorker = v >= 170000 ? "w.worker_type = 'apply'"
                : v >= 160000 ? "w.relid IS NULL AND w.leader_pid IS NULL"
                : "w.relid IS NULL";
        String streaming = v >= 160000
                ? "CASE s.substream WHEN 'f' THEN 'off' WHEN 't' THEN 'on' WHEN 'p' THEN 'parallel' END"
                : v >= 140000 ? "CASE WHEN s.substream THEN 'on' ELSE 'off' END" : "NULL::text";
        String byId = v >= 140000 ? "x.subid = s.oid" : "x.subname = s.subname";
        return SQL.formatted(streaming,
                since(server, 150000, "s.subtwophasestate::text", "text"),
                since(server, 150000, "s.subdisableonerr", "boolean"),
                byId,
                since(server, 160000,
                        "(SELECT count(*) FROM pg_stat_subscription x WHERE x.subid = s.oid AND x.leader_pid IS NOT NULL)::int",
                        "int"),
                since(server, 160000, "s.suborigin", "text"),
                byId.replace("x.", "w."), applyWorker);
    }

    @Override
    public SubscriptionReading map(Row row, ServerInfo server) {
        return new SubscriptionReading(row.getString("subname"), row.getBoolean("subenabled"), row.getString("subslotname"),
                List.of(row.getArrayOfStrings("publications")), row.getInteger("pid"),
                Lsn.parse(row.getString("received_lsn")), Lsn.parse(row.getString("latest_end_lsn")),
                Sql.instant(row, "last_msg_send_time"), Sql.instant(row, "last_msg_receipt_time"),
                Sql.instant(row, "latest_end_time"), row.getLong("send_age_ms"), row.getLong("receipt_age_ms"),
                row.getString("streaming"), row.getString("two_phase"), row.getBoolean("disable_on_error"),
                row.getInteger("sync_workers"), row.getInteger("parallel_workers"), row.getString("origin"));
    }
}

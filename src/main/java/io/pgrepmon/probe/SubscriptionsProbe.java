package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.snapshot.Lsn;
import io.pgrepmon.snapshot.ServerInfo;
import io.pgrepmon.snapshot.SubscriptionInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Subscriptions of the connected database from {@code pg_subscription}, each with its apply worker from
 * {@code pg_stat_subscription}. The LEFT JOIN keeps disabled subscriptions, which have no worker row.
 * {@code subconninfo} is never selected: it may hold the publisher's password.
 */
public final class SubscriptionsProbe implements Probe<List<SubscriptionInfo>> {

    private static final String SQL = """
            SELECT s.subname, s.subenabled, s.subslotname, s.subpublications::text[] AS publications,
                   w.pid, w.received_lsn::text AS received_lsn, w.latest_end_lsn::text AS latest_end_lsn,
                   w.last_msg_send_time, w.last_msg_receipt_time, w.latest_end_time
            FROM pg_subscription s
            LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND %s
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY s.subname
            """;

    @Override
    public String name() {
        return "subscriptions";
    }

    @Override
    public boolean appliesTo(Role role, ServerInfo server) {
        return role == Role.TARGET;
    }

    /** The apply worker's row: table-sync workers have a relid; 16 adds parallel apply workers (leader_pid set). */
    static String sql(int versionNum) {
        String applyWorker;
        if (versionNum >= 170000) {
            applyWorker = "w.worker_type = 'apply'";
        } else if (versionNum >= 160000) {
            applyWorker = "w.relid IS NULL AND w.leader_pid IS NULL";
        } else {
            applyWorker = "w.relid IS NULL";
        }
        return SQL.formatted(applyWorker);
    }

    @Override
    public Uni<List<SubscriptionInfo>> read(SqlConnection connection, ServerInfo server) {
        return connection.query(sql(server.versionNum())).execute().map(rows -> {
            List<SubscriptionInfo> subscriptions = new ArrayList<>();
            rows.forEach(row -> subscriptions.add(from(row)));
            return subscriptions;
        });
    }

    static SubscriptionInfo from(Row row) {
        String[] publications = row.getArrayOfStrings("publications");
        return new SubscriptionInfo(row.getString("subname"), row.getBoolean("subenabled"), row.getString("subslotname"),
                publications == null ? List.of() : List.of(publications), row.getInteger("pid"),
                Lsn.parse(row.getString("received_lsn")), Lsn.parse(row.getString("latest_end_lsn")),
                instant(row.getOffsetDateTime("last_msg_send_time")), instant(row.getOffsetDateTime("last_msg_receipt_time")),
                instant(row.getOffsetDateTime("latest_end_time")), null);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

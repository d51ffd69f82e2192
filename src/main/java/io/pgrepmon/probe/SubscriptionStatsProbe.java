package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.ServerInfo;
import io.vertx.mutiny.sqlclient.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative error counters of the connected database's subscriptions from {@code pg_stat_subscription_stats}
 * (15+), and the conflict counters added in 18.
 */
public final class SubscriptionStatsProbe extends RoleProbe<SubscriptionStatsRow> {

    /** The {@code confl_*} columns of PostgreSQL 18, without the prefix. */
    static final List<String> CONFLICTS = List.of("insert_exists", "update_origin_differs", "update_exists",
            "update_missing", "delete_origin_differs", "delete_missing", "multiple_unique_conflicts");

    private static final String SQL = """
            SELECT st.subname, st.apply_error_count, st.sync_error_count, st.stats_reset%s
            FROM pg_stat_subscription_stats st
            JOIN pg_subscription s ON s.oid = st.subid
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY st.subname
            """;

    public SubscriptionStatsProbe() {
        super("subscription-stats", Role.TARGET, 150000);
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        StringBuilder conflicts = new StringBuilder();
        if (server.versionNum() >= 180000) {
            CONFLICTS.forEach(c -> conflicts.append(", st.confl_").append(c));
        }
        return SQL.formatted(conflicts);
    }

    @Override
    public SubscriptionStatsRow map(Row row, ServerInfo server) {
        return from(row, server.versionNum() >= 180000);
    }

    static SubscriptionStatsRow from(Row row, boolean withConflicts) {
        Map<String, Long> conflicts = null;
        if (withConflicts) {
            conflicts = new LinkedHashMap<>();
            for (String c : CONFLICTS) {
                conflicts.put(c, row.getLong("confl_" + c));
            }
        }
        return new SubscriptionStatsRow(row.getString("subname"), row.getLong("apply_error_count"),
                row.getLong("sync_error_count"), conflicts, Sql.instant(row, "stats_reset"));
    }
}

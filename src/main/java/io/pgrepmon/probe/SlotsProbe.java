package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.snapshot.Lsn;
import io.pgrepmon.snapshot.ServerInfo;
import io.pgrepmon.snapshot.SlotInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Logical slots of a source from {@code pg_replication_slots}, with bytes behind and WAL retained. */
public final class SlotsProbe implements Probe<List<SlotInfo>> {

    // The current position is read in the same statement as the slots so that lag is computed from one instant.
    private static final String SQL = """
            SELECT slot_name, plugin, database, active, active_pid,
                   restart_lsn::text AS restart_lsn, confirmed_flush_lsn::text AS confirmed_flush_lsn,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                         ELSE pg_current_wal_lsn() END)::text AS current_lsn,
                   %s AS wal_status, %s AS safe_wal_size, %s AS inactive_since
            FROM pg_replication_slots
            WHERE slot_type = 'logical'
            ORDER BY slot_name
            """;

    @Override
    public String name() {
        return "slots";
    }

    @Override
    public boolean appliesTo(Role role, ServerInfo server) {
        return role == Role.SOURCE;
    }

    static String sql(int versionNum) {
        boolean v13 = versionNum >= 130000;
        boolean v17 = versionNum >= 170000;
        return SQL.formatted(
                v13 ? "wal_status" : "NULL::text",
                v13 ? "safe_wal_size" : "NULL::bigint",
                v17 ? "inactive_since" : "NULL::timestamptz");
    }

    @Override
    public Uni<List<SlotInfo>> read(SqlConnection connection, ServerInfo server) {
        return connection.query(sql(server.versionNum())).execute().map(rows -> {
            List<SlotInfo> slots = new ArrayList<>();
            rows.forEach(row -> slots.add(from(row)));
            return slots;
        });
    }

    static SlotInfo from(Row row) {
        Lsn current = Lsn.parse(row.getString("current_lsn"));
        Lsn restart = Lsn.parse(row.getString("restart_lsn"));
        Lsn confirmed = Lsn.parse(row.getString("confirmed_flush_lsn"));
        OffsetDateTime inactiveSince = row.getOffsetDateTime("inactive_since");
        return new SlotInfo(row.getString("slot_name"), row.getString("plugin"), row.getString("database"),
                row.getBoolean("active"), row.getInteger("active_pid"), restart, confirmed,
                Lsn.bytesBetween(current, confirmed), Lsn.bytesBetween(current, restart),
                row.getString("wal_status"), row.getLong("safe_wal_size"),
                inactiveSince == null ? null : inactiveSince.toInstant(), null);
    }
}

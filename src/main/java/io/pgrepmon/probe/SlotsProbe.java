package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.vertx.mutiny.sqlclient.Row;


import static io.pgrepmon.probe.Probe.since;

/**
 * Logical slots of the connected database from {@code pg_replication_slots}, with bytes behind and WAL retained.
 * A slot belongs to one database, so only the connected database's slots are listed.
 */
public final class SlotsProbe extends RoleProbe<SlotReading> {

    // The current position is read in the same statement as the slots so that lag is computed from one instant.
    private static final String SQL = """
            SELECT slot_name, plugin, database, temporary, active, active_pid,
                   restart_lsn::text AS restart_lsn, confirmed_flush_lsn::text AS confirmed_flush_lsn,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                         ELSE pg_current_wal_lsn() END)::text AS current_lsn,
                   wal_status, safe_wal_size,
                   %s AS two_phase, %s AS conflicting,
                   %s AS inactive_since, %s AS invalidation_reason, %s AS failover, %s AS synced
            FROM pg_replication_slots
            WHERE slot_type = 'logical' AND database = current_database()
            ORDER BY slot_name
            """;

    public SlotsProbe() {
        super("slots", Role.SOURCE, 0);
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        return SQL.formatted(
                since(server, 140000, "two_phase", "boolean"),
                since(server, 160000, "conflicting", "boolean"),
                since(server, 170000, "inactive_since", "timestamptz"),
                since(server, 170000, "invalidation_reason", "text"),
                since(server, 170000, "failover", "boolean"),
                since(server, 170000, "synced", "boolean"));
    }

    @Override
    public SlotReading map(Row row, ServerInfo server) {
        Lsn current = Lsn.parse(row.getString("current_lsn"));
        Lsn restart = Lsn.parse(row.getString("restart_lsn"));
        Lsn confirmed = Lsn.parse(row.getString("confirmed_flush_lsn"));
        return new SlotReading(row.getString("slot_name"), row.getString("plugin"), row.getString("database"),
                row.getBoolean("temporary"), SlotReading.isTableSync(row.getString("slot_name")), row.getBoolean("active"), row.getInteger("active_pid"), restart, confirmed,
                Lsn.bytesBetween(current, confirmed), Lsn.bytesBetween(current, restart),
                row.getString("wal_status"), row.getLong("safe_wal_size"), row.getBoolean("two_phase"),
                row.getBoolean("conflicting"), Sql.instant(row, "inactive_since"), row.getString("invalidation_reason"),
                row.getBoolean("failover"), row.getBoolean("synced"));
    }
}

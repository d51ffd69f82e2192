package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.snapshot.Heartbeat;
import io.pgrepmon.snapshot.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * The optional heartbeat: on a source it writes now() into {@code pgrepmon_heartbeat} (one row, upserted), on a
 * target it reads the row back. The source's write replicates like any change, so the target's row tells how far
 * behind it is in the source's own clock, idle source or not. Only for databases listed in
 * {@code monitor.heartbeats}: it is the monitor's only write.
 */
public final class HeartbeatProbe implements Probe<Heartbeat> {

    public static final String TABLE = "pgrepmon_heartbeat";

    private final String schema;
    private final Role role;

    /**
     * @param schema the table's schema, or null when this database has no heartbeat
     * @param role   the side this probe serves: a source writes the beat, a target reads it
     */
    public HeartbeatProbe(String schema, Role role) {
        this.schema = schema;
        this.role = role;
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public boolean appliesTo(Role databaseRole, ServerInfo server) {
        // A standby cannot be written to.
        return schema != null && databaseRole == role && !(role == Role.SOURCE && server.inRecovery());
    }

    String sql() {
        String table = Sql.quoteIdent(schema) + "." + TABLE;
        return role == Role.SOURCE
                ? "INSERT INTO " + table + " (id, beat) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = excluded.beat"
                + " RETURNING beat, now() AS observed"
                : "SELECT beat, now() AS observed FROM " + table + " WHERE id = 1";
    }

    @Override
    public Uni<List<Heartbeat>> read(SqlConnection connection, ServerInfo server) {
        return Sql.rows(connection, sql(), HeartbeatProbe::from);
    }

    static Heartbeat from(Row row) {
        return new Heartbeat(Sql.instant(row, "beat"), Sql.instant(row, "observed"));
    }
}

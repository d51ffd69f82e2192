package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.Heartbeat;
import io.pgrepmon.model.ServerInfo;
import io.vertx.mutiny.sqlclient.Row;


/**
 * The optional heartbeat: on a source it writes now() into {@code pgrepmon_heartbeat} (one row, upserted), on a
 * target it reads the row back. The source's write replicates like any change, so the target's row tells how far
 * behind it is in the source's own clock, idle source or not. Only for databases listed in
 * {@code monitor.heartbeats}: it is the monitor's only write.
 */
public final class HeartbeatProbe implements Probe<Heartbeat> {

    public static final String TABLE = "pgrepmon_heartbeat";

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public boolean appliesTo(DatabaseSettings db, ServerInfo server) {
        // A standby cannot be written to.
        return db.heartbeatSchema() != null && !(db.role() == Role.SOURCE && server.inRecovery());
    }

    /** A source writes the beat, a target reads it. */
    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        String table = Sql.quoteIdent(db.heartbeatSchema()) + "." + TABLE;
        return db.role() == Role.SOURCE
                ? "INSERT INTO " + table + " (id, beat) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = excluded.beat"
                + " RETURNING beat, now() AS observed"
                : "SELECT beat, now() AS observed FROM " + table + " WHERE id = 1";
    }

    @Override
    public Heartbeat map(Row row, ServerInfo server) {
        return new Heartbeat(Sql.instant(row, "beat"), Sql.instant(row, "observed"));
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.WalSenderInfo;
import io.pgrepmon.model.WalSenderReading;
import io.vertx.mutiny.sqlclient.Row;


/**
 * Logical walsenders of the connected database from {@code pg_stat_replication}, matched to their slot through
 * the slot's {@code active_pid} (physical walsenders hold no logical slot and are left out). Without
 * {@code pg_read_all_stats} the server returns the rows with their positions and lags NULL.
 */
public final class WalSendersProbe extends RoleProbe<WalSenderReading> {

    static final String SQL = """
            SELECT r.pid, r.application_name, s.slot_name, r.state,
                   r.sent_lsn::text AS sent_lsn, r.write_lsn::text AS write_lsn,
                   r.flush_lsn::text AS flush_lsn, r.replay_lsn::text AS replay_lsn,
                   (extract(epoch FROM r.write_lag) * 1000)::bigint AS write_lag_ms,
                   (extract(epoch FROM r.flush_lag) * 1000)::bigint AS flush_lag_ms,
                   (extract(epoch FROM r.replay_lag) * 1000)::bigint AS replay_lag_ms,
                   r.reply_time,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                         ELSE pg_current_wal_lsn() END)::text AS current_lsn
            FROM pg_stat_replication r
            JOIN pg_replication_slots s ON s.active_pid = r.pid AND s.slot_type = 'logical'
            WHERE s.database = current_database()
            ORDER BY s.slot_name
            """;

    public WalSendersProbe() {
        super("walsenders", Role.SOURCE, 0, SQL);
    }

    @Override
    public WalSenderReading map(Row row, ServerInfo server) {
        Lsn flush = Lsn.parse(row.getString("flush_lsn"));
        return new WalSenderReading(row.getInteger("pid"), row.getString("application_name"), row.getString("slot_name"),
                row.getString("state"), Lsn.parse(row.getString("sent_lsn")), Lsn.parse(row.getString("write_lsn")),
                flush, Lsn.parse(row.getString("replay_lsn")), row.getLong("write_lag_ms"), row.getLong("flush_lag_ms"),
                row.getLong("replay_lag_ms"), Sql.instant(row, "reply_time"),
                Lsn.bytesBetween(Lsn.parse(row.getString("current_lsn")), flush));
    }
}

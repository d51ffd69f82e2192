package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SlotStats;
import io.vertx.mutiny.sqlclient.Row;


/** Decoding statistics of the connected database's logical slots from {@code pg_stat_replication_slots} (14+). */
public final class SlotStatsProbe extends RoleProbe<SlotStats> {

    static final String SQL = """
            SELECT st.slot_name, st.spill_txns, st.spill_count, st.spill_bytes, st.stream_txns, st.stream_count,
                   st.stream_bytes, st.total_txns, st.total_bytes, st.stats_reset
            FROM pg_stat_replication_slots st
            JOIN pg_replication_slots s ON s.slot_name = st.slot_name
            WHERE s.database = current_database()
            ORDER BY st.slot_name
            """;

    public SlotStatsProbe() {
        super("slot-stats", Role.SOURCE, 140000, SQL);
    }

    @Override
    public SlotStats map(Row row, ServerInfo server) {
        return new SlotStats(row.getString("slot_name"), row.getLong("spill_txns"), row.getLong("spill_count"),
                row.getLong("spill_bytes"), row.getLong("stream_txns"), row.getLong("stream_count"),
                row.getLong("stream_bytes"), row.getLong("total_txns"), row.getLong("total_bytes"),
                Sql.instant(row, "stats_reset"));
    }
}

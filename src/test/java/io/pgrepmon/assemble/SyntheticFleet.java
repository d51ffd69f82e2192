package io.pgrepmon.assemble;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.WalSenderReading;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.probe.SubscriptionStatsRow;
import io.pgrepmon.probe.SubscriptionTableRow;
import io.pgrepmon.model.TableReading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet of {@code pairs} source/target pairs as the probes would read it, changing from tick to tick, for the
 * dashboard at scale: the readings go through the real assembly and judging. Pair {@code sub_NNN}, on sources
 * {@code sNNN} and targets {@code dNNN}, is, by its number:
 * <ul>
 *   <li>every 50th: its target unreachable from the third tick on (known before, so its pair is still owed);</li>
 *   <li>every 10th (from the 3rd): its subscription disabled, the slot inactive, the lag growing by 64 KiB a tick
 *       from {@code NNN} MiB;</li>
 *   <li>every 7th: two of its five tables in their initial copy;</li>
 *   <li>the others: streaming, a few KiB behind.</li>
 * </ul>
 */
public final class SyntheticFleet {

    static final int TABLES = 5;

    private SyntheticFleet() {
    }

    public static String pairName(int i) {
        return "sub_%03d".formatted(i);
    }

    public static boolean unreachable(int i, long tick) {
        return i % 50 == 0 && tick > 2;
    }

    public static boolean stopped(int i) {
        return i % 10 == 3;
    }

    public static List<DatabaseReading> readings(int pairs, long tick, Instant at) {
        List<DatabaseReading> readings = new ArrayList<>(pairs * 2);
        for (int i = 1; i <= pairs; i++) {
            readings.addAll(pair(i, tick, at));
        }
        return readings;
    }

    static List<DatabaseReading> pair(int i, long tick, Instant at) {
        String name = pairName(i);
        DatabaseSettings source = Fixtures.settings("s%03d".formatted(i), Role.SOURCE);
        DatabaseSettings target = Fixtures.settings("d%03d".formatted(i), Role.TARGET, source.name());
        boolean stopped = stopped(i);
        boolean copying = i % 7 == 0;
        long lag = stopped ? i * 1024L * 1024 + tick * 65536 : (i * 37L + tick * 13) % 8192;
        long position = 0x1_0000_0000L + i * 0x100_0000L + tick * 65536;
        List<TableReading> tables = new ArrayList<>();
        List<SubscriptionTableRow> subscribed = new ArrayList<>();
        List<String> tableNames = new ArrayList<>();
        for (int t = 1; t <= TABLES; t++) {
            String table = "items_" + t;
            tableNames.add("public." + table);
            tables.add(Fixtures.table(table, List.of("pub"), true, 8192L * t));
            boolean inCopy = copying && t > TABLES - 2;
            subscribed.add(Fixtures.subTable(name, table, inCopy ? "d" : "r", inCopy ? 4096 * (tick % 100 + 1) : null));
        }
        SlotReading slot = new SlotReading(name, "pgoutput", "app", false, false, !stopped, stopped ? null : 7,
                new Lsn(position - lag), new Lsn(position - lag), lag, lag, "reserved", null, null, null,
                stopped ? at.minusSeconds(600) : null, null, null, null);
        List<WalSenderReading> senders = stopped ? List.of() : List.of(new WalSenderReading(1000 + i, name, name, "streaming",
                new Lsn(position), new Lsn(position - lag), new Lsn(position - lag), new Lsn(position - lag), 2L, 3L, 4L, at, lag));
        DatabaseReading sourceReading = Fixtures.source(source, at, List.of(slot), senders,
                List.of(new PublicationInfo("pub", false, true, true, true, true, TABLES, tableNames)), tables);
        if (unreachable(i, tick)) {
            return List.of(sourceReading, DatabaseReading.unreachable(target, at, 800, "connection refused: " + target.name()));
        }
        SubscriptionReading sub = new SubscriptionReading(name, !stopped, name, List.of("pub"), stopped ? null : 2000 + i,
                new Lsn(position - lag), new Lsn(position - lag), at, at, at, 20L, 10L, "off", "d", false, copying ? 2 : 0,
                null, "any");
        return List.of(sourceReading, Fixtures.target(target, at, List.of(sub), subscribed,
                List.of(new SubscriptionStatsRow(name, 0, 0, Map.of(), null))));
    }
}

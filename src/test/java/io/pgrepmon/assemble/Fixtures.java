package io.pgrepmon.assemble;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.config.SslMode;
import io.pgrepmon.model.CopyProgress;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.WalSenderReading;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.probe.PublicationsProbe;
import io.pgrepmon.probe.SlotsProbe;
import io.pgrepmon.probe.SubscriptionStatsProbe;
import io.pgrepmon.probe.SubscriptionStatsRow;
import io.pgrepmon.probe.SubscriptionTableRow;
import io.pgrepmon.probe.SubscriptionTablesProbe;
import io.pgrepmon.probe.SubscriptionsProbe;
import io.pgrepmon.probe.TablesProbe;
import io.pgrepmon.probe.WalSendersProbe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Readings as the probes would produce them, with defaults for what a test does not care about. */
final class Fixtures {

    /** How long every fixture reading took: its observations are stamped when its answer came, this long after it began. */
    static final long POLL_MILLIS = 3;


    static final ServerInfo SERVER = new ServerInfo(150004, "15.4", false, Lsn.parse("0/100"), "monitor", true);

    private Fixtures() {
    }

    static DatabaseSettings settings(String name, Role role) {
        return settings(name, role, null);
    }

    static DatabaseSettings settings(String name, Role role, String source) {
        return new DatabaseSettings(name, "h", 5432, "u", "pw", "app", role, SslMode.DISABLE, null, source, null);
    }

    static SlotReading slot(String name, boolean active, Long lag, String walStatus, Instant inactiveSince) {
        return new SlotReading(name, "pgoutput", "app", false, false, active, active ? 7 : null, Lsn.parse("0/1"), Lsn.parse("0/2"),
                lag, 2048L, walStatus, null, null, null, inactiveSince, null, null, null);
    }

    static SlotReading slot(String name, boolean active, long lag) {
        return slot(name, active, lag, "reserved", null);
    }

    static SlotReading slotAt(String name, long lag, long confirmed) {
        return new SlotReading(name, "pgoutput", "app", false, false, true, 7, new Lsn(confirmed), new Lsn(confirmed), lag, lag,
                "reserved", null, null, null, null, null, null, null);
    }

    static SubscriptionReading sub(String name, String slot, boolean enabled, Integer workerPid, String... publications) {
        return new SubscriptionReading(name, enabled, slot, List.of(publications.length == 0 ? new String[]{"pub"} : publications),
                workerPid, null, null, null, null, null, null, null, null, null, null, 0, null, null);
    }

    /** A subscription as a snapshot publishes it, with no tables, counters or findings. */
    static SubscriptionInfo view(SubscriptionReading reading) {
        return new SubscriptionInfo(reading, null, List.of(), Map.of(), null, Health.HEALTHY);
    }

    static SubscriptionReading sub(String name, String slot) {
        return sub(name, slot, true, 9);
    }

    static TableReading table(String name, List<String> publications, boolean usableIdentity, long size) {
        return new TableReading("public", name, publications, usableIdentity, usableIdentity ? "default" : "nothing",
                usableIdentity, size, null);
    }

    static SubscriptionTableRow subTable(String subscription, String table, String state, Long copiedBytes) {
        return new SubscriptionTableRow(subscription, new SubscriptionTable("public", table, state,
                SubscriptionTable.stateName(state), null, null, null,
                copiedBytes == null ? null : new CopyProgress(copiedBytes, 10, null, null)));
    }

    static DatabaseReading source(DatabaseSettings db, Instant at, List<SlotReading> slots, List<WalSenderReading> senders,
                                  List<PublicationInfo> publications, List<TableReading> tables) {
        return new DatabaseReading(db, at, POLL_MILLIS, SERVER, null, List.of(), Map.of(SlotsProbe.class, slots,
                WalSendersProbe.class, senders, PublicationsProbe.class, publications, TablesProbe.class, tables), null);
    }

    static DatabaseReading source(DatabaseSettings db, Instant at, SlotReading... slots) {
        return source(db, at, List.of(slots), List.of(), List.of(), List.of());
    }

    static DatabaseReading target(DatabaseSettings db, Instant at, List<SubscriptionReading> subscriptions,
                                  List<SubscriptionTableRow> tables, List<SubscriptionStatsRow> stats) {
        return new DatabaseReading(db, at, POLL_MILLIS, SERVER, null, List.of(), Map.of(SubscriptionsProbe.class, subscriptions,
                SubscriptionTablesProbe.class, tables, SubscriptionStatsProbe.class, stats), null);
    }

    /** A database as a snapshot shows it, with only what pairing reads: slots and publications, or subscriptions. */
    static DatabaseSnapshot database(String name, Role role, boolean reachable, List<SlotReading> readings,
                                     List<PublicationInfo> publications, List<SubscriptionInfo> subscriptions) {
        List<SlotInfo> slots = readings.stream().map(s -> new SlotInfo(s, s.inactiveSince(), null, Health.HEALTHY)).toList();
        return new DatabaseSnapshot(name, role, "h", 5432, "app", reachable, reachable ? Health.HEALTHY
                : new Health(Status.DOWN, List.of("unreachable")), reachable ? SERVER : null, null, 3, null, null, null,
                null, List.of(), List.of(), slots, List.of(), publications, List.of(), List.of(), subscriptions, null, null, null, null);
    }

    static PublicationInfo publication(String name, String... tables) {
        return new PublicationInfo(name, false, true, true, true, true, tables.length, List.of(tables));
    }
}

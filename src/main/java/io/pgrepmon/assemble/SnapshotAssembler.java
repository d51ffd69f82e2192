package io.pgrepmon.assemble;

import io.pgrepmon.config.MonitorSettings.Thresholds;
import io.pgrepmon.config.PairSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.CopyProgress;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.ProbeReport;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.SlotStats;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SourceActivity;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.Summary;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.Units;
import io.pgrepmon.model.WalSenderActivity;
import io.pgrepmon.model.WalSenderInfo;
import io.pgrepmon.model.WalSenderReading;
import io.pgrepmon.probe.ActivityProbe;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.probe.FingerprintProbe;
import io.pgrepmon.probe.HeartbeatProbe;
import io.pgrepmon.probe.PublicationFiltersProbe;
import io.pgrepmon.probe.PublicationsProbe;
import io.pgrepmon.probe.SlotStatsProbe;
import io.pgrepmon.probe.SlotsProbe;
import io.pgrepmon.probe.SubscriptionStatsProbe;
import io.pgrepmon.probe.SubscriptionStatsRow;
import io.pgrepmon.probe.SubscriptionTablesProbe;
import io.pgrepmon.probe.SubscriptionsProbe;
import io.pgrepmon.probe.TablesProbe;
import io.pgrepmon.probe.WalSendersProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns one tick's readings into a {@link Snapshot}: applies the health rules, has {@link Pairing} link
 * subscriptions to slots, and keeps what a single tick cannot know: last success and failure per database, since when things have not
 * changed (slot inactive before PostgreSQL 17, table states, walsender positions, sync progress), error counter
 * baselines, the recent apply rate, and which pairs existed while a target is unreachable.
 * Ticks never overlap, so it is called by one tick at a time; the maps are concurrent because consecutive
 * ticks may complete on different event-loop threads.
 */
public final class SnapshotAssembler {

    private record Failure(String error, Instant at) {
    }

    private final Thresholds thresholds;
    private final Duration interval;
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Failure> lastFailure = new ConcurrentHashMap<>();
    private final ChangeClock<Boolean> slotInactive = new ChangeClock<>();
    private final ChangeClock<Long> walSenderFlush = new ChangeClock<>();
    private final ChangeClock<String> tableState = new ChangeClock<>();
    private final ChangeClock<String> syncProgress = new ChangeClock<>();
    private final ChangeClock<Long> rowChanges = new ChangeClock<>();
    private final ChangeClock<Integer> workerPid = new ChangeClock<>();
    private final ErrorCounters errorCounters;
    private final Pairing pairing;
    private long sequence;

    public SnapshotAssembler(Thresholds thresholds, Duration interval, List<PairSettings> pairs, Instant monitorStart) {
        this(thresholds, interval, pairs, List.of(), monitorStart);
    }

    public SnapshotAssembler(Thresholds thresholds, Duration interval, List<PairSettings> pairs,
                             List<io.pgrepmon.config.HeartbeatSettings> heartbeats, Instant monitorStart) {
        this.thresholds = thresholds;
        this.interval = interval;
        this.pairing = new Pairing(pairs, heartbeats);
        this.errorCounters = new ErrorCounters(monitorStart);
    }

    /**
     * The time a database's observations are stamped with: when its answer came, never before the tick began. A
     * database's poll may start after the tick did (behind its previous poll, or waiting its turn to connect), and a
     * change it shows may be that recent; stamped with the tick's start, a quiet or error-free window would look up
     * to a deadline longer than it is.
     */
    static Instant observedAt(DatabaseReading reading, Instant takenAt) {
        Instant answered = reading.answeredAt();
        return answered.isAfter(takenAt) ? answered : takenAt;
    }

    public synchronized Snapshot assemble(List<DatabaseReading> readings, Instant takenAt, long tookMillis) {
        long tick = ++sequence;
        Map<String, DatabaseSnapshot> sources = new LinkedHashMap<>();
        for (DatabaseReading reading : readings) {
            if (reading.database().role() == Role.SOURCE) {
                sources.put(reading.database().name(), reachable(reading) ? source(reading, observedAt(reading, takenAt), tick) : down(reading));
            }
        }
        List<Pairing.Draft> drafts = new ArrayList<>();
        List<DatabaseSnapshot> databases = new ArrayList<>();
        Map<String, DatabaseSnapshot> byName = new LinkedHashMap<>();
        for (DatabaseReading reading : readings) {
            String name = reading.database().name();
            DatabaseSnapshot db = reading.database().role() == Role.SOURCE ? sources.get(name)
                    : reachable(reading) ? target(reading, sources, drafts, observedAt(reading, takenAt), tick) : down(reading);
            databases.add(db);
            byName.put(name, db);
        }
        Set<String> reachable = databases.stream().filter(DatabaseSnapshot::reachable).map(DatabaseSnapshot::name)
                .collect(Collectors.toSet());
        slotInactive.sweep(reachable, tick);
        walSenderFlush.sweep(reachable, tick);
        tableState.sweep(reachable, tick);
        syncProgress.sweep(reachable, tick);
        rowChanges.sweep(reachable, tick);
        workerPid.sweep(reachable, tick);

        List<PairInfo> pairs = pairing.pairs(drafts, byName, takenAt);
        Set<String> livePairs = drafts.stream().map(d -> ChangeClock.key(d.target(), d.subscription().name()))
                .collect(Collectors.toSet());
        java.util.function.Predicate<String> gone = key -> !livePairs.contains(key)
                && (reachable.contains(ChangeClock.databaseOf(key)) || !byName.containsKey(ChangeClock.databaseOf(key)));
        pairing.forget(gone);
        errorCounters.forget(gone);

        Status overall = Status.HEALTHY;
        for (DatabaseSnapshot db : databases) {
            overall = Status.worst(overall, db.health().status() == Status.DOWN ? Status.CRITICAL : db.health().status());
        }
        for (PairInfo pair : pairs) {
            overall = Status.worst(overall, pair.health().status() == Status.DOWN ? Status.CRITICAL : pair.health().status());
        }
        return new Snapshot(tick, takenAt, tookMillis, interval.toMillis(), overall, summary(databases, pairs),
                databases, pairs, List.of(), List.of(), AlertsView.NONE);
    }

    private boolean reachable(DatabaseReading reading) {
        if (reading.reachable()) {
            lastSuccess.put(reading.database().name(), reading.polledAt());
            return true;
        }
        lastFailure.put(reading.database().name(), new Failure(reading.error(), reading.polledAt()));
        return false;
    }

    private DatabaseSnapshot down(DatabaseReading reading) {
        var settings = reading.database();
        Failure failure = lastFailure.get(settings.name());
        return new DatabaseSnapshot(settings.name(), settings.role(), settings.host(), settings.port(), settings.dbname(),
                false, new Health(Status.DOWN, List.of("unreachable: " + reading.error())), null, reading.polledAt(),
                reading.millis(), reading.error(), lastSuccess.get(settings.name()), failure.error(), failure.at(),
                reading.probes(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null);
    }

    private DatabaseSnapshot source(DatabaseReading reading, Instant now, long tick) {
        String name = reading.database().name();
        Map<String, SlotStats> stats = reading.rows(SlotStatsProbe.class).stream()
                .collect(Collectors.toMap(SlotStats::slotName, Function.identity(), (a, b) -> a));
        List<SlotInfo> slots = reading.rows(SlotsProbe.class).stream()
                .map(s -> slot(name, s, stats.get(s.name()), now, tick)).toList();
        List<WalSenderInfo> senders = reading.rows(WalSendersProbe.class).stream().map(w -> walSender(name, w, now, tick)).toList();
        Map<String, PublicationInfo> publications = reading.rows(PublicationsProbe.class).stream()
                .collect(Collectors.toMap(PublicationInfo::name, Function.identity(), (a, b) -> a));
        List<TableInfo> tables = reading.rows(TablesProbe.class).stream()
                .map(t -> new TableInfo(t, HealthRules.table(t, publications))).toList();

        Health.Builder health = commonHealth(reading);
        rollUp(health, "slot", slots.stream().map(s -> Map.entry(s.reading().name(), s.health())).toList());
        rollUp(health, "walsender", senders.stream().map(w -> Map.entry(w.reading().slotName(), w.health())).toList());
        tableFindings(health, tables);
        SourceActivity activity = reading.rows(ActivityProbe.class).isEmpty() ? null : reading.rows(ActivityProbe.class).get(0);
        if (activity != null) {
            activity = activity.since(rowChanges.since(ChangeClock.key(name, "rows"), activity.rowChanges(), now, tick));
        }
        return snapshot(reading, health, slots, senders, reading.rows(PublicationsProbe.class), tables, List.of(), activity);
    }

    private DatabaseSnapshot target(DatabaseReading reading, Map<String, DatabaseSnapshot> sources, List<Pairing.Draft> drafts,
                                    Instant now, long tick) {
        String name = reading.database().name();
        Map<String, List<SubscriptionTable>> tablesBySub = new HashMap<>();
        reading.rows(SubscriptionTablesProbe.class).forEach(row ->
                tablesBySub.computeIfAbsent(row.subscription(), k -> new ArrayList<>()).add(row.table()));
        Map<String, SubscriptionStatsRow> statsBySub = reading.rows(SubscriptionStatsProbe.class).stream()
                .collect(Collectors.toMap(SubscriptionStatsRow::subscription, Function.identity(), (a, b) -> a));

        List<SubscriptionInfo> subscriptions = new ArrayList<>();
        for (SubscriptionReading sub : reading.rows(SubscriptionsProbe.class)) {
            Health.Builder linkHealth = new Health.Builder();
            Pairing.Link link = pairing.link(name, reading.database().source(), sub, sources, linkHealth);
            DatabaseSnapshot source = link == null ? null : sources.get(link.sourceDatabase());
            Map<String, Long> sourceSizes = source == null ? Map.of() : source.tables().stream()
                    .map(TableInfo::reading).collect(Collectors.toMap(TableReading::qualifiedName, TableReading::sizeBytes, (a, b) -> a));

            List<SubscriptionTable> tables = new ArrayList<>();
            Map<String, Integer> states = new TreeMap<>();
            StringBuilder progress = new StringBuilder();
            for (SubscriptionTable t : tablesBySub.getOrDefault(sub.name(), List.of())) {
                Instant since = tableState.since(ChangeClock.key(name, sub.name(), t.qualifiedName()), t.state(), now, tick);
                CopyProgress copy = t.copy() == null ? null : t.copy().withSource(sourceSizes.get(t.qualifiedName()));
                tables.add(t.with(since, copy));
                states.merge(t.state(), 1, Integer::sum);
                if (!t.ready()) {
                    progress.append(t.qualifiedName()).append('=').append(t.state())
                            .append(copy == null ? "" : ":" + copy.bytesProcessed()).append(';');
                }
            }
            Instant syncStill = progress.isEmpty() ? null
                    : syncProgress.since(ChangeClock.key(name, sub.name()), progress.toString(), now, tick);
            SubscriptionStatsRow statsRow = statsBySub.get(sub.name());
            SubscriptionStats stats = statsRow == null ? null
                    : errorCounters.observe(ChangeClock.key(name, sub.name()), statsRow, now);
            Instant workerSince = sub.workerPid() == null ? null
                    : workerPid.since(ChangeClock.key(name, sub.name(), "worker"), sub.workerPid(), now, tick);
            long notReady = tables.stream().filter(t -> !t.ready()).count();
            SubscriptionInfo full = new SubscriptionInfo(sub, workerSince, tables, states, stats,
                    HealthRules.subscription(sub, stats, notReady, thresholds, now, syncStill), syncStill);
            subscriptions.add(full);
            drafts.add(new Pairing.Draft(name, sub.name(), full, link, linkHealth.addAll(full.health())));
        }
        Health.Builder health = commonHealth(reading);
        rollUp(health, "subscription", subscriptions.stream().map(s -> Map.entry(s.name(), s.health())).toList());
        return snapshot(reading, health, List.of(), List.of(), List.of(), List.of(), subscriptions,
                first(reading.rows(ActivityProbe.class)));
    }

    private DatabaseSnapshot snapshot(DatabaseReading reading, Health.Builder health, List<SlotInfo> slots,
                                      List<WalSenderInfo> senders, List<PublicationInfo> publications,
                                      List<TableInfo> tables, List<SubscriptionInfo> subscriptions,
                                      SourceActivity activity) {
        var settings = reading.database();
        Failure failure = lastFailure.get(settings.name());
        return new DatabaseSnapshot(settings.name(), settings.role(), settings.host(), settings.port(), settings.dbname(),
                true, health.build(), reading.server(), reading.polledAt(), reading.millis(), null, reading.polledAt(),
                failure == null ? null : failure.error(), failure == null ? null : failure.at(), reading.probes(),
                privileges(reading), slots, senders, publications, reading.rows(PublicationFiltersProbe.class), tables,
                subscriptions, activity,
                first(reading.rows(HeartbeatProbe.class)), reading.catalogReadAt(), first(reading.rows(FingerprintProbe.class)));
    }

    private static <T> T first(List<T> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Probe failures and missing privileges, common to sources and targets. */
    private Health.Builder commonHealth(DatabaseReading reading) {
        Health.Builder health = new Health.Builder();
        for (ProbeReport probe : reading.probes()) {
            if (probe.failed()) {
                health.add(Status.WARNING, "probe " + probe.probe() + " failed: " + probe.error());
            }
        }
        privileges(reading).forEach(gap -> health.add(Status.WARNING, gap));
        return health;
    }

    private static List<String> privileges(DatabaseReading reading) {
        if (reading.server().readAllStats()) {
            return List.of();
        }
        String user = reading.server().user();
        return List.of("role " + user + " lacks pg_read_all_stats: "
                + (reading.database().role() == Role.SOURCE
                ? "walsender positions and lags of other roles are hidden"
                : "initial copy progress of the table-sync workers is hidden")
                + " (GRANT pg_monitor TO " + user + ")");
    }

    private static void tableFindings(Health.Builder health, List<TableInfo> tables) {
        List<String> unpublished = new ArrayList<>();
        List<String> noIdentity = new ArrayList<>();
        for (TableInfo t : tables) {
            if (t.health().status() == Status.CRITICAL) {
                noIdentity.add(t.reading().qualifiedName());
            } else if (t.health().status() == Status.WARNING) {
                unpublished.add(t.reading().qualifiedName());
            }
        }
        if (!noIdentity.isEmpty()) {
            health.add(Status.CRITICAL, noIdentity.size() + " published table(s) without a primary key or usable replica"
                    + " identity, whose UPDATE/DELETE the source rejects: " + Units.sample(noIdentity));
        }
        if (!unpublished.isEmpty()) {
            health.add(Status.WARNING, unpublished.size() + " table(s) in no publication, which a migration would miss: "
                    + Units.sample(unpublished));
        }
    }

    private static void rollUp(Health.Builder health, String kind, List<Map.Entry<String, Health>> children) {
        for (var child : children) {
            if (child.getValue().status() != Status.HEALTHY) {
                health.add(child.getValue().status(), kind + " " + child.getKey() + " is " + child.getValue().status().code());
            }
        }
    }

    private SlotInfo slot(String database, SlotReading slot, SlotStats stats, Instant now, long tick) {
        Instant inactiveSince = slot.inactiveSince();
        if (!slot.active() && inactiveSince == null) {
            // Before PostgreSQL 17 the server does not say since when: count from the first tick that saw it idle.
            inactiveSince = slotInactive.since(ChangeClock.key(database, slot.name()), Boolean.TRUE, now, tick);
        }
        return new SlotInfo(slot, inactiveSince, stats, HealthRules.slot(slot, inactiveSince, thresholds, now));
    }

    private WalSenderInfo walSender(String database, WalSenderReading sender, Instant now, long tick) {
        Instant still = walSenderFlush.since(ChangeClock.key(database, sender.slotName(), Integer.toString(sender.pid())),
                sender.flushLsn() == null ? null : sender.flushLsn().value(), now, tick);
        WalSenderActivity activity = HealthRules.walSenderActivity(sender, still, thresholds, now);
        return new WalSenderInfo(sender, activity, activity == WalSenderActivity.STALLED ? still : null,
                HealthRules.walSender(sender, activity, still, now));
    }

    private static Summary summary(List<DatabaseSnapshot> databases, List<PairInfo> pairs) {
        int healthy = 0, warning = 0, critical = 0, down = 0, sources = 0, targets = 0;
        int slots = 0, activeSlots = 0, subscriptions = 0, enabled = 0, tables = 0, tablesReady = 0;
        for (DatabaseSnapshot db : databases) {
            switch (db.health().status()) {
                case HEALTHY -> healthy++;
                case WARNING -> warning++;
                case CRITICAL -> critical++;
                case DOWN -> down++;
            }
            if (db.role() == Role.SOURCE) {
                sources++;
            } else {
                targets++;
            }
            slots += db.slots().size();
            activeSlots += (int) db.slots().stream().filter(s -> s.reading().active()).count();
            subscriptions += db.subscriptions().size();
            enabled += (int) db.subscriptions().stream().filter(s -> s.reading().enabled()).count();
            for (SubscriptionInfo sub : db.subscriptions()) {
                tables += sub.tables().size();
                tablesReady += (int) sub.tables().stream().filter(SubscriptionTable::ready).count();
            }
        }
        Long worstLag = null;
        String worstPair = null;
        for (PairInfo pair : pairs) {
            if (pair.lagBytes() != null && (worstLag == null || pair.lagBytes() > worstLag)) {
                worstLag = pair.lagBytes();
                worstPair = pair.name();
            }
        }
        return new Summary(databases.size(), sources, targets, healthy, warning, critical, down, slots, activeSlots,
                subscriptions, enabled, pairs.size(), tables, tablesReady, worstLag, worstPair);
    }
}

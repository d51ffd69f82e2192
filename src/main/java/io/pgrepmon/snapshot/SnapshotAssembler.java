package io.pgrepmon.snapshot;

import io.pgrepmon.config.MonitorConfig.Thresholds;
import io.pgrepmon.config.PairSettings;
import io.pgrepmon.config.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns one tick's readings into a {@link Snapshot}: applies the health rules, links subscriptions to slots,
 * and keeps what a single tick cannot know: last success and failure per database, since when things have not
 * changed (slot inactive before PostgreSQL 17, table states, walsender positions, sync progress), error counter
 * baselines, the recent apply rate, and which pairs existed while a target is unreachable.
 * Ticks never overlap, so it is called by one tick at a time; the maps are concurrent because consecutive
 * ticks may complete on different event-loop threads.
 */
public final class SnapshotAssembler {

    private record Failure(String error, Instant at) {
    }

    /** Where a subscription's slot is, and how that was decided. */
    private record Link(String sourceDatabase, String slotName, String linkedBy) {
    }

    private record Draft(String target, SubscriptionInfo subscription, Link link, Health.Builder health) {
    }

    private final Thresholds thresholds;
    private final Duration interval;
    private final Map<String, PairSettings> explicitPairs = new HashMap<>();
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Failure> lastFailure = new ConcurrentHashMap<>();
    private final Map<String, Link> knownPairs = new ConcurrentHashMap<>();
    private final ChangeClock<Boolean> slotInactive = new ChangeClock<>();
    private final ChangeClock<Long> walSenderFlush = new ChangeClock<>();
    private final ChangeClock<String> tableState = new ChangeClock<>();
    private final ChangeClock<String> syncProgress = new ChangeClock<>();
    private final ErrorCounters errorCounters;
    private final LagEstimator lagEstimator = new LagEstimator();
    private long sequence;

    public SnapshotAssembler(Thresholds thresholds, Duration interval, List<PairSettings> pairs, Instant monitorStart) {
        this.thresholds = thresholds;
        this.interval = interval;
        pairs.forEach(p -> explicitPairs.put(ChangeClock.key(p.target(), p.subscription()), p));
        this.errorCounters = new ErrorCounters(monitorStart);
    }

    public synchronized Snapshot assemble(List<DatabaseReading> readings, Instant takenAt, long tookMillis) {
        long tick = ++sequence;
        Map<String, DatabaseSnapshot> sources = new LinkedHashMap<>();
        for (DatabaseReading reading : readings) {
            if (reading.database().role() == Role.SOURCE) {
                sources.put(reading.database().name(), reachable(reading) ? source(reading, takenAt, tick) : down(reading));
            }
        }
        List<Draft> drafts = new ArrayList<>();
        List<DatabaseSnapshot> databases = new ArrayList<>();
        Map<String, DatabaseSnapshot> byName = new LinkedHashMap<>();
        for (DatabaseReading reading : readings) {
            String name = reading.database().name();
            DatabaseSnapshot db = reading.database().role() == Role.SOURCE ? sources.get(name)
                    : reachable(reading) ? target(reading, sources, drafts, takenAt, tick) : down(reading);
            databases.add(db);
            byName.put(name, db);
        }
        Set<String> reachable = databases.stream().filter(DatabaseSnapshot::reachable).map(DatabaseSnapshot::name)
                .collect(Collectors.toSet());
        slotInactive.sweep(reachable, tick);
        walSenderFlush.sweep(reachable, tick);
        tableState.sweep(reachable, tick);
        syncProgress.sweep(reachable, tick);

        List<PairInfo> pairs = pairs(drafts, byName, takenAt);
        Set<String> livePairs = drafts.stream().map(d -> ChangeClock.key(d.target(), d.subscription().name()))
                .collect(Collectors.toSet());
        java.util.function.Predicate<String> gone = key -> !livePairs.contains(key)
                && (reachable.contains(databaseOf(key)) || !byName.containsKey(databaseOf(key)));
        lagEstimator.forget(gone);
        errorCounters.forget(gone);

        Status overall = Status.HEALTHY;
        for (DatabaseSnapshot db : databases) {
            overall = Status.worst(overall, db.health().status() == Status.DOWN ? Status.CRITICAL : db.health().status());
        }
        for (PairInfo pair : pairs) {
            overall = Status.worst(overall, pair.health().status() == Status.DOWN ? Status.CRITICAL : pair.health().status());
        }
        return new Snapshot(tick, takenAt, tookMillis, interval.toMillis(), overall, summary(databases, pairs),
                databases, pairs);
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
                reading.probes(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private DatabaseSnapshot source(DatabaseReading reading, Instant now, long tick) {
        String name = reading.database().name();
        Map<String, SlotStats> stats = reading.slotStats().stream()
                .collect(Collectors.toMap(SlotStats::slotName, Function.identity(), (a, b) -> a));
        List<SlotInfo> slots = reading.slots().stream()
                .map(s -> slot(name, s.withStats(stats.get(s.name())), now, tick)).toList();
        List<WalSenderInfo> senders = reading.walSenders().stream().map(w -> walSender(name, w, now, tick)).toList();
        Map<String, PublicationInfo> publications = reading.publications().stream()
                .collect(Collectors.toMap(PublicationInfo::name, Function.identity(), (a, b) -> a));
        List<TableInfo> tables = reading.tables().stream()
                .map(t -> t.withHealth(HealthRules.table(t, publications))).toList();

        Health.Builder health = commonHealth(reading);
        rollUp(health, "slot", slots.stream().map(s -> Map.entry(s.name(), s.health())).toList());
        rollUp(health, "walsender", senders.stream().map(w -> Map.entry(w.slotName(), w.health())).toList());
        tableFindings(health, tables);
        return snapshot(reading, health, slots, senders, reading.publications(), tables, List.of());
    }

    private DatabaseSnapshot target(DatabaseReading reading, Map<String, DatabaseSnapshot> sources, List<Draft> drafts,
                                    Instant now, long tick) {
        String name = reading.database().name();
        Map<String, List<SubscriptionTable>> tablesBySub = new HashMap<>();
        reading.subscriptionTables().forEach(row ->
                tablesBySub.computeIfAbsent(row.subscription(), k -> new ArrayList<>()).add(row.table()));
        Map<String, SubscriptionStatsRow> statsBySub = reading.subscriptionStats().stream()
                .collect(Collectors.toMap(SubscriptionStatsRow::subscription, Function.identity(), (a, b) -> a));

        List<SubscriptionInfo> subscriptions = new ArrayList<>();
        for (SubscriptionInfo sub : reading.subscriptions()) {
            Health.Builder linkHealth = new Health.Builder();
            Link link = link(name, reading.database().source(), sub, sources, linkHealth);
            DatabaseSnapshot source = link == null ? null : sources.get(link.sourceDatabase());
            Map<String, Long> sourceSizes = source == null ? Map.of() : source.tables().stream()
                    .collect(Collectors.toMap(TableInfo::qualifiedName, TableInfo::sizeBytes, (a, b) -> a));

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
            SubscriptionInfo draft = sub.with(tables, states, stats, null);
            SubscriptionInfo full = draft.with(tables, states, stats, HealthRules.subscription(draft, thresholds, now, syncStill));
            subscriptions.add(full);
            drafts.add(new Draft(name, full, link, linkHealth.addAll(full.health())));
        }
        Health.Builder health = commonHealth(reading);
        rollUp(health, "subscription", subscriptions.stream().map(s -> Map.entry(s.name(), s.health())).toList());
        return snapshot(reading, health, List.of(), List.of(), List.of(), List.of(), subscriptions);
    }

    private DatabaseSnapshot snapshot(DatabaseReading reading, Health.Builder health, List<SlotInfo> slots,
                                      List<WalSenderInfo> senders, List<PublicationInfo> publications,
                                      List<TableInfo> tables, List<SubscriptionInfo> subscriptions) {
        var settings = reading.database();
        Failure failure = lastFailure.get(settings.name());
        return new DatabaseSnapshot(settings.name(), settings.role(), settings.host(), settings.port(), settings.dbname(),
                true, health.build(), reading.server(), reading.polledAt(), reading.millis(), null, reading.polledAt(),
                failure == null ? null : failure.error(), failure == null ? null : failure.at(), reading.probes(),
                privileges(reading), slots, senders, publications, tables, subscriptions);
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
                noIdentity.add(t.qualifiedName());
            } else if (t.health().status() == Status.WARNING) {
                unpublished.add(t.qualifiedName());
            }
        }
        if (!noIdentity.isEmpty()) {
            health.add(Status.CRITICAL, noIdentity.size() + " published table(s) without a primary key or usable replica"
                    + " identity, whose UPDATE/DELETE the source rejects: " + sample(noIdentity));
        }
        if (!unpublished.isEmpty()) {
            health.add(Status.WARNING, unpublished.size() + " table(s) in no publication, which a migration would miss: "
                    + sample(unpublished));
        }
    }

    private static String sample(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

    private static void rollUp(Health.Builder health, String kind, List<Map.Entry<String, Health>> children) {
        for (var child : children) {
            if (child.getValue().status() != Status.HEALTHY) {
                health.add(child.getValue().status(), kind + " " + child.getKey() + " is " + child.getValue().status().json());
            }
        }
    }

    private SlotInfo slot(String database, SlotInfo slot, Instant now, long tick) {
        if (!slot.active() && slot.inactiveSince() == null) {
            // Before PostgreSQL 17 the server does not say since when: count from the first tick that saw it idle.
            slot = slot.withInactiveSince(slotInactive.since(ChangeClock.key(database, slot.name()), Boolean.TRUE, now, tick));
        }
        return slot.withHealth(HealthRules.slot(slot, thresholds, now));
    }

    private WalSenderInfo walSender(String database, WalSenderInfo sender, Instant now, long tick) {
        Instant still = walSenderFlush.since(ChangeClock.key(database, sender.slotName(), Integer.toString(sender.pid())),
                sender.flushLsn() == null ? null : sender.flushLsn().value(), now, tick);
        String activity = HealthRules.walSenderActivity(sender, still, thresholds, now);
        WalSenderInfo classified = sender.withActivity(activity, "stalled".equals(activity) ? still : null, null);
        return classified.withActivity(activity, classified.stalledSince(), HealthRules.walSender(classified, still, now));
    }

    /**
     * Finds the slot a subscription consumes: an explicit pair from the config first, then the target's configured
     * source, then the one reachable source holding a slot of that name. A pair whose source is unreachable this
     * tick keeps its last known link.
     */
    private Link link(String target, String configuredSource, SubscriptionInfo sub, Map<String, DatabaseSnapshot> sources,
                      Health.Builder health) {
        String key = ChangeClock.key(target, sub.name());
        PairSettings explicit = explicitPairs.get(key);
        Link link;
        if (explicit != null) {
            link = new Link(explicit.source(), explicit.slot() == null ? sub.slotName() : explicit.slot(), "pairs");
            requireSlot(link, sources, health);
        } else if (configuredSource != null) {
            link = new Link(configuredSource, sub.slotName(), "source");
            requireSlot(link, sources, health);
        } else {
            List<String> holders = sources.values().stream().filter(DatabaseSnapshot::reachable)
                    .filter(db -> db.slots().stream().anyMatch(s -> s.name().equals(sub.slotName())))
                    .map(DatabaseSnapshot::name).toList();
            Link known = knownPairs.get(key);
            if (holders.size() == 1) {
                link = new Link(holders.get(0), sub.slotName(), "slot name");
            } else if (holders.size() > 1) {
                health.add(Status.WARNING, "slot " + sub.slotName() + " exists on several sources (" + String.join(", ", holders)
                        + "): cannot tell which one this subscription consumes; set monitor.pairs or the target's source");
                link = null;
            } else if (known != null && sources.containsKey(known.sourceDatabase()) && !sources.get(known.sourceDatabase()).reachable()) {
                link = known;
            } else {
                health.add(Status.WARNING, "no configured source database has a slot named " + sub.slotName());
                link = null;
            }
        }
        if (link == null) {
            knownPairs.remove(key);
        } else {
            knownPairs.put(key, link);
        }
        return link;
    }

    private static void requireSlot(Link link, Map<String, DatabaseSnapshot> sources, Health.Builder health) {
        DatabaseSnapshot source = sources.get(link.sourceDatabase());
        if (source != null && source.reachable() && source.slots().stream().noneMatch(s -> s.name().equals(link.slotName()))) {
            health.add(Status.CRITICAL, "source " + link.sourceDatabase() + " has no slot named " + link.slotName()
                    + " (linked by " + link.linkedBy() + "): the subscription cannot be receiving changes");
        }
    }

    private List<PairInfo> pairs(List<Draft> drafts, Map<String, DatabaseSnapshot> byName, Instant now) {
        List<Draft> all = new ArrayList<>(drafts);
        // A target that is down this tick still owes its pairs: show them as unreachable rather than dropping them.
        knownPairs.keySet().removeIf(k -> !byName.containsKey(databaseOf(k)));
        knownPairs.forEach((key, link) -> {
            DatabaseSnapshot target = byName.get(databaseOf(key));
            if (!target.reachable()) {
                String subscription = key.substring(key.indexOf('\u0000') + 1);
                SubscriptionInfo placeholder = new SubscriptionInfo(subscription, false, link.slotName(), List.of(), null,
                        null, null, null, null, null, null, null, null, null, null, 0, null, List.of(), Map.of(), null,
                        Health.HEALTHY);
                all.add(new Draft(target.name(), placeholder, link, new Health.Builder().add(Status.CRITICAL,
                        "target database " + target.name() + " is unreachable: the subscription cannot be checked")));
            }
        });

        Map<String, Integer> nameUse = new HashMap<>();
        all.forEach(d -> nameUse.merge(d.subscription().name(), 1, Integer::sum));
        List<PairInfo> pairs = new ArrayList<>();
        for (Draft d : all) {
            SubscriptionInfo sub = d.subscription();
            DatabaseSnapshot target = byName.get(d.target());
            Long lag = null;
            LagEstimator.Estimate estimate = new LagEstimator.Estimate(null, "unknown: the subscription is not linked to a slot", null);
            String walSender = null;
            List<String> missing = List.of();
            if (d.link() != null) {
                DatabaseSnapshot source = byName.get(d.link().sourceDatabase());
                if (!source.reachable()) {
                    d.health().add(Status.CRITICAL, "source database " + source.name() + " is unreachable: lag unknown");
                    estimate = new LagEstimator.Estimate(null, "unknown: the source is unreachable", null);
                } else {
                    SlotInfo slot = source.slots().stream().filter(s -> s.name().equals(d.link().slotName())).findFirst().orElse(null);
                    WalSenderInfo sender = source.walSenders().stream()
                            .filter(w -> w.slotName().equals(d.link().slotName())).findFirst().orElse(null);
                    if (slot != null) {
                        lag = slot.lagBytes();
                        d.health().addAll(slot.health());
                        estimate = lagEstimator.estimate(ChangeClock.key(d.target(), sub.name()), now, lag,
                                slot.confirmedFlushLsn(), sender == null ? null : sender.replayLagMillis());
                    }
                    walSender = sender == null ? "none" : sender.activity();
                    if (sender != null) {
                        d.health().addAll(sender.health());
                    }
                    if (target.reachable()) {
                        missing = missingTables(source, sub);
                        if (!missing.isEmpty()) {
                            d.health().add(Status.WARNING, missing.size() + " published table(s) not in the subscription: "
                                    + sample(missing) + " (ALTER SUBSCRIPTION " + sub.name() + " REFRESH PUBLICATION)");
                        }
                    }
                }
            }
            String name = nameUse.get(sub.name()) > 1 ? d.target() + "." + sub.name() : sub.name();
            pairs.add(new PairInfo(name, d.link() == null ? null : d.link().sourceDatabase(),
                    d.link() == null ? null : d.link().slotName(), d.target(), sub.name(),
                    d.link() == null ? null : d.link().linkedBy(), lag, estimate.seconds(), estimate.method(),
                    estimate.rateBytesPerSecond() == null ? null : (double) Math.round(estimate.rateBytesPerSecond()),
                    walSender, sub.tableStates(), missing, d.health().build()));
        }
        pairs.sort(Comparator.comparing(PairInfo::name));
        return pairs;
    }

    /** Tables the subscribed publications publish on the source that the subscription does not list. */
    private static List<String> missingTables(DatabaseSnapshot source, SubscriptionInfo sub) {
        Set<String> expected = new LinkedHashSet<>();
        source.publications().stream().filter(p -> sub.publications().contains(p.name()))
                .forEach(p -> expected.addAll(p.tables()));
        Set<String> known = new HashSet<>();
        sub.tables().forEach(t -> known.add(t.qualifiedName()));
        return expected.stream().filter(t -> !known.contains(t)).sorted().toList();
    }

    private static String databaseOf(String key) {
        return key.substring(0, key.indexOf('\u0000'));
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
            activeSlots += (int) db.slots().stream().filter(SlotInfo::active).count();
            subscriptions += db.subscriptions().size();
            enabled += (int) db.subscriptions().stream().filter(SubscriptionInfo::enabled).count();
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

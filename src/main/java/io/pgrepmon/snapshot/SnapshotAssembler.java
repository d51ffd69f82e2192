package io.pgrepmon.snapshot;

import io.pgrepmon.config.MonitorConfig.Thresholds;
import io.pgrepmon.config.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one tick's readings into a {@link Snapshot}: applies the health rules, links subscriptions to slots,
 * and keeps what a single tick cannot know (last success and failure per database, since when a slot has been
 * inactive before PostgreSQL 17 reports it, which pairs existed while a target is unreachable).
 * Ticks never overlap, so it is called by one tick at a time; the maps are concurrent because consecutive
 * ticks may complete on different event-loop threads.
 */
public final class SnapshotAssembler {

    private record Failure(String error, Instant at) {
    }

    private record Link(String sourceDatabase, String slotName) {
    }

    private final Thresholds thresholds;
    private final Duration interval;
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Failure> lastFailure = new ConcurrentHashMap<>();
    private final Map<String, Instant> inactiveSeen = new ConcurrentHashMap<>();
    private final Map<String, Link> knownPairs = new ConcurrentHashMap<>();
    private long sequence;

    public SnapshotAssembler(Thresholds thresholds, Duration interval) {
        this.thresholds = thresholds;
        this.interval = interval;
    }

    public synchronized Snapshot assemble(List<DatabaseReading> readings, Instant takenAt, long tookMillis) {
        List<DatabaseSnapshot> databases = readings.stream().map(r -> database(r, takenAt)).toList();
        List<PairInfo> pairs = pairs(databases);
        Status overall = Status.HEALTHY;
        for (DatabaseSnapshot db : databases) {
            overall = Status.worst(overall, db.health().status() == Status.DOWN ? Status.CRITICAL : db.health().status());
        }
        for (PairInfo pair : pairs) {
            overall = Status.worst(overall, pair.health().status() == Status.DOWN ? Status.CRITICAL : pair.health().status());
        }
        return new Snapshot(++sequence, takenAt, tookMillis, interval.toMillis(), overall, summary(databases, pairs),
                databases, pairs);
    }

    private DatabaseSnapshot database(DatabaseReading reading, Instant now) {
        var settings = reading.database();
        String name = settings.name();
        if (!reading.reachable()) {
            Failure failure = new Failure(reading.error(), reading.polledAt());
            lastFailure.put(name, failure);
            return new DatabaseSnapshot(name, settings.role(), settings.host(), settings.port(), settings.dbname(), false,
                    new Health(Status.DOWN, List.of("unreachable: " + reading.error())), null, reading.polledAt(),
                    reading.millis(), reading.error(), lastSuccess.get(name), failure.error(), failure.at(),
                    reading.probes(), List.of(), List.of(), List.of());
        }
        lastSuccess.put(name, reading.polledAt());
        List<SlotInfo> slots = reading.slots().stream().map(s -> slot(name, s, now)).toList();
        forgetSlotsNotSeen(name, slots);
        List<SubscriptionInfo> subscriptions = reading.subscriptions().stream()
                .map(s -> s.withHealth(HealthRules.subscription(s))).toList();

        Health.Builder health = new Health.Builder();
        for (ProbeReport probe : reading.probes()) {
            if (probe.failed()) {
                health.add(Status.WARNING, "probe " + probe.probe() + " failed: " + probe.error());
            }
        }
        rollUp(health, "slot", slots.stream().map(s -> Map.entry(s.name(), s.health())).toList());
        rollUp(health, "subscription", subscriptions.stream().map(s -> Map.entry(s.name(), s.health())).toList());
        Failure failure = lastFailure.get(name);
        return new DatabaseSnapshot(name, settings.role(), settings.host(), settings.port(), settings.dbname(), true,
                health.build(), reading.server(), reading.polledAt(), reading.millis(), null, reading.polledAt(),
                failure == null ? null : failure.error(), failure == null ? null : failure.at(), reading.probes(), slots,
                reading.publications(), subscriptions);
    }

    private static void rollUp(Health.Builder health, String kind, List<Map.Entry<String, Health>> children) {
        for (var child : children) {
            if (child.getValue().status() != Status.HEALTHY) {
                health.add(child.getValue().status(), kind + " " + child.getKey() + " is " + child.getValue().status().json());
            }
        }
    }

    private SlotInfo slot(String database, SlotInfo slot, Instant now) {
        String key = database + '\u0000' + slot.name();
        if (slot.active()) {
            inactiveSeen.remove(key);
        } else if (slot.inactiveSince() == null) {
            // Before PostgreSQL 17 the server does not say since when: count from the first tick that saw it idle.
            slot = slot.withInactiveSince(inactiveSeen.computeIfAbsent(key, k -> now));
        }
        return slot.withHealth(HealthRules.slot(slot, thresholds, now));
    }

    private void forgetSlotsNotSeen(String database, List<SlotInfo> slots) {
        Set<String> present = new HashSet<>();
        slots.forEach(s -> present.add(database + '\u0000' + s.name()));
        inactiveSeen.keySet().removeIf(k -> k.startsWith(database + '\u0000') && !present.contains(k));
    }

    private record Draft(String target, String subscription, Link link, Health.Builder health) {
    }

    private List<PairInfo> pairs(List<DatabaseSnapshot> databases) {
        Map<String, DatabaseSnapshot> byName = new LinkedHashMap<>();
        databases.forEach(db -> byName.put(db.name(), db));
        List<Draft> drafts = new ArrayList<>();
        for (DatabaseSnapshot target : databases) {
            if (target.role() == Role.TARGET && target.reachable()) {
                target.subscriptions().forEach(sub -> drafts.add(linkSubscription(target.name(), sub, databases, byName)));
            }
        }
        // A target that is down this tick still owes its pairs: show them as unreachable rather than dropping them.
        knownPairs.keySet().removeIf(k -> !byName.containsKey(targetOf(k)));
        knownPairs.forEach((key, link) -> {
            DatabaseSnapshot target = byName.get(targetOf(key));
            if (!target.reachable()) {
                drafts.add(new Draft(target.name(), subscriptionOf(key), link, new Health.Builder().add(Status.CRITICAL,
                        "target database " + target.name() + " is unreachable: the subscription cannot be checked")));
            }
        });

        Map<String, Integer> nameUse = new HashMap<>();
        drafts.forEach(d -> nameUse.merge(d.subscription(), 1, Integer::sum));
        List<PairInfo> pairs = new ArrayList<>();
        for (Draft d : drafts) {
            Long lag = null;
            if (d.link() != null) {
                DatabaseSnapshot source = byName.get(d.link().sourceDatabase());
                if (!source.reachable()) {
                    d.health().add(Status.CRITICAL, "source database " + source.name() + " is unreachable: lag unknown");
                } else {
                    SlotInfo slot = source.slots().stream().filter(s -> s.name().equals(d.link().slotName())).findFirst().orElseThrow();
                    lag = slot.lagBytes();
                    d.health().addAll(slot.health());
                }
            }
            String name = nameUse.get(d.subscription()) > 1 ? d.target() + "." + d.subscription() : d.subscription();
            pairs.add(new PairInfo(name, d.link() == null ? null : d.link().sourceDatabase(),
                    d.link() == null ? null : d.link().slotName(), d.target(), d.subscription(), lag, d.health().build()));
        }
        pairs.sort(Comparator.comparing(PairInfo::name));
        return pairs;
    }

    /** Finds the one reachable source holding the subscription's slot, or remembers why none could be chosen. */
    private Draft linkSubscription(String target, SubscriptionInfo sub, List<DatabaseSnapshot> databases,
                                   Map<String, DatabaseSnapshot> byName) {
        String key = target + '\u0000' + sub.name();
        Health.Builder health = new Health.Builder().addAll(sub.health());
        List<String> holders = databases.stream()
                .filter(db -> db.role() == Role.SOURCE && db.reachable())
                .filter(db -> db.slots().stream().anyMatch(s -> s.name().equals(sub.slotName())))
                .map(DatabaseSnapshot::name).toList();
        Link known = knownPairs.get(key);
        Link link = null;
        if (holders.size() == 1) {
            link = new Link(holders.get(0), sub.slotName());
            knownPairs.put(key, link);
        } else if (holders.size() > 1) {
            health.add(Status.WARNING, "slot " + sub.slotName() + " exists on several sources (" + String.join(", ", holders)
                    + "): cannot tell which one this subscription consumes");
        } else if (known != null && byName.containsKey(known.sourceDatabase()) && !byName.get(known.sourceDatabase()).reachable()) {
            link = known;
        } else {
            knownPairs.remove(key);
            health.add(Status.WARNING, "no configured source database has a slot named " + sub.slotName());
        }
        return new Draft(target, sub.name(), link, health);
    }

    private static String targetOf(String key) {
        return key.substring(0, key.indexOf('\u0000'));
    }

    private static String subscriptionOf(String key) {
        return key.substring(key.indexOf('\u0000') + 1);
    }

    private static Summary summary(List<DatabaseSnapshot> databases, List<PairInfo> pairs) {
        int healthy = 0, warning = 0, critical = 0, down = 0, sources = 0, targets = 0;
        int slots = 0, activeSlots = 0, subscriptions = 0, enabled = 0;
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
                subscriptions, enabled, pairs.size(), worstLag, worstPair);
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.config.PairSettings;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.Units;
import io.pgrepmon.model.WalSenderActivity;
import io.pgrepmon.model.WalSenderInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Links each subscription to the slot it consumes and builds the pairs: end-to-end lag in bytes and seconds,
 * the walsender's activity, tables published but not subscribed. Remembers the links of targets and sources that
 * are unreachable for a tick, and the apply rate of each pair.
 */
final class Pairing {

    /** Where a subscription's slot is, and how that was decided. */
    record Link(String sourceDatabase, String slotName, String linkedBy) {
    }

    /**
     * A subscription with its link and the health gathered so far; {@code subscription} is null while its target
     * is unreachable (the pair is still owed, from the last link known).
     */
    record Draft(String target, String name, SubscriptionInfo subscription, Link link, Health.Builder health) {
    }

    private final Map<String, PairSettings> explicitPairs = new HashMap<>();
    private final Map<String, Link> knownPairs = new ConcurrentHashMap<>();
    private final LagEstimator lagEstimator = new LagEstimator();

    private final Set<String> heartbeats = new HashSet<>();

    Pairing(List<PairSettings> pairs, List<io.pgrepmon.config.HeartbeatSettings> heartbeatPairs) {
        pairs.forEach(p -> explicitPairs.put(ChangeClock.key(p.target(), p.subscription()), p));
        heartbeatPairs.forEach(h -> heartbeats.add(ChangeClock.key(h.source(), h.target())));
    }

    /**
     * Seconds behind by the heartbeat: the source's clock when it wrote this tick's beat, minus the beat the target
     * has applied. Both times are the source's, so no clock skew; the resolution is one interval.
     */
    private Double heartbeatSeconds(DatabaseSnapshot source, DatabaseSnapshot target) {
        if (!heartbeats.contains(ChangeClock.key(source.name(), target.name())) || source.heartbeat() == null
                || target.heartbeat() == null || target.heartbeat().beat() == null) {
            return null;
        }
        long millis = java.time.Duration.between(target.heartbeat().beat(), source.heartbeat().observedAt()).toMillis();
        return Math.max(0, millis) / 1000.0;
    }

    void forget(Predicate<String> gone) {
        lagEstimator.forget(gone);
    }

    /**
     * Finds the slot a subscription consumes: an explicit pair from the config first, then the target's configured
     * source, then the one reachable source holding a slot of that name. A pair whose source is unreachable this
     * tick keeps its last known link.
     */
    Link link(String target, String configuredSource, SubscriptionReading sub, Map<String, DatabaseSnapshot> sources,
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
                    .filter(db -> db.slots().stream().anyMatch(s -> s.reading().name().equals(sub.slotName())))
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
        if (source != null && source.reachable() && source.slots().stream().noneMatch(s -> s.reading().name().equals(link.slotName()))) {
            health.add(Status.CRITICAL, "source " + link.sourceDatabase() + " has no slot named " + link.slotName()
                    + " (linked by " + link.linkedBy() + "): the subscription cannot be receiving changes");
        }
    }

    List<PairInfo> pairs(List<Draft> drafts, Map<String, DatabaseSnapshot> byName, Instant now) {
        List<Draft> all = new ArrayList<>(drafts);
        // A target that is down this tick still owes its pairs: show them as unreachable rather than dropping them.
        knownPairs.keySet().removeIf(k -> !byName.containsKey(ChangeClock.databaseOf(k)));
        knownPairs.forEach((key, link) -> {
            DatabaseSnapshot target = byName.get(ChangeClock.databaseOf(key));
            if (!target.reachable()) {
                String subscription = key.substring(key.indexOf('\u0000') + 1);
                all.add(new Draft(target.name(), subscription, null, link, new Health.Builder().add(Status.CRITICAL,
                        "target database " + target.name() + " is unreachable: the subscription cannot be checked")));
            }
        });

        Map<String, Integer> nameUse = new HashMap<>();
        all.forEach(d -> nameUse.merge(d.name(), 1, Integer::sum));
        List<PairInfo> pairs = new ArrayList<>();
        for (Draft d : all) {
            SubscriptionInfo sub = d.subscription();
            String subName = d.name();
            DatabaseSnapshot target = byName.get(d.target());
            Long lag = null;
            LagEstimator.Estimate estimate = LagEstimator.Estimate.unknown("unknown: the subscription is not linked to a slot");
            WalSenderActivity walSender = null;
            List<String> missing = List.of();
            if (d.link() != null) {
                DatabaseSnapshot source = byName.get(d.link().sourceDatabase());
                if (!source.reachable()) {
                    d.health().add(Status.CRITICAL, "source database " + source.name() + " is unreachable: lag unknown");
                    estimate = LagEstimator.Estimate.unknown("unknown: the source is unreachable");
                } else {
                    SlotInfo slot = source.slots().stream().filter(s -> s.reading().name().equals(d.link().slotName())).findFirst().orElse(null);
                    WalSenderInfo sender = source.walSenders().stream()
                            .filter(w -> w.reading().slotName().equals(d.link().slotName())).findFirst().orElse(null);
                    if (slot != null) {
                        lag = slot.reading().lagBytes();
                        d.health().addAll(slot.health());
                        estimate = lagEstimator.estimate(ChangeClock.key(d.target(), subName), now, lag,
                                slot.reading().confirmedFlushLsn(), sender == null ? null : sender.reading().replayLagMillis(),
                                target.reachable() ? heartbeatSeconds(source, target) : null);
                    }
                    walSender = sender == null ? WalSenderActivity.NONE : sender.activity();
                    if (sender != null) {
                        d.health().addAll(sender.health());
                    }
                    if (sub != null && target.reachable()) {
                        missing = missingTables(source, sub);
                        if (!missing.isEmpty()) {
                            d.health().add(Status.WARNING, missing.size() + " published table(s) not in the subscription: "
                                    + Units.sample(missing) + " (ALTER SUBSCRIPTION " + subName + " REFRESH PUBLICATION)");
                        }
                    }
                }
            }
            String name = nameUse.get(subName) > 1 ? d.target() + "." + subName : subName;
            pairs.add(new PairInfo(name, d.link() == null ? null : d.link().sourceDatabase(),
                    d.link() == null ? null : d.link().slotName(), d.target(), subName,
                    d.link() == null ? null : d.link().linkedBy(), lag, estimate.seconds(), estimate.method(), estimate.text(),
                    estimate.rateBytesPerSecond() == null ? null : (double) Math.round(estimate.rateBytesPerSecond()),
                    walSender, sub == null ? Map.of() : sub.tableStates(), missing, d.health().build()));
        }
        pairs.sort(Comparator.comparing(PairInfo::name));
        return pairs;
    }

    /** Tables the subscribed publications publish on the source that the subscription does not list. */
    private static List<String> missingTables(DatabaseSnapshot source, SubscriptionInfo sub) {
        Set<String> expected = new LinkedHashSet<>();
        source.publications().stream().filter(p -> sub.reading().publications().contains(p.name()))
                .forEach(p -> expected.addAll(p.tables()));
        Set<String> known = new HashSet<>();
        sub.tables().forEach(t -> known.add(t.qualifiedName()));
        return expected.stream().filter(t -> !known.contains(t)).sorted().toList();
    }
}

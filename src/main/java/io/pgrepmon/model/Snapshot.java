package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * Everything known after one tick, immutable. {@code status} is the worst of all databases and pairs,
 * a database that is down counting as critical.
 *
 * @param sequence       increases by one per tick since start
 * @param intervalMillis the refresh interval, so that a client can tell stale data
 * @param cutover        each pair's cutover verdict with its checks
 * @param trends         what the recent history predicts: when each pair catches up, when a slot would lose WAL
 * @param alerts         alerts on pairs and databases, and the webhooks' delivery status
 */
@RegisterForReflection
public record Snapshot(long sequence, Instant takenAt, long tookMillis, long intervalMillis, Status status,
                       Summary summary, List<DatabaseSnapshot> databases, List<PairInfo> pairs,
                       List<PairCutover> cutover, List<Trend> trends, AlertsView alerts) {

    public Snapshot {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
        cutover = cutover == null ? List.of() : List.copyOf(cutover);
        trends = trends == null ? List.of() : List.copyOf(trends);
        alerts = alerts == null ? AlertsView.NONE : alerts;
    }

    /** The named database's snapshot, or null when the name is null or not configured. */
    public DatabaseSnapshot database(String name) {
        return name == null ? null : databases.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The part of this snapshot a page about one pair needs: the pair, its two databases, its verdict, its trends
     * and its alerts (those of the pair, of its databases and of their slots), with the whole fleet's summary and
     * status. Empty lists when there is no such pair.
     */
    public Snapshot forPair(String name) {
        PairInfo pair = pairs.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (pair == null) {
            return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, List.of(), List.of(),
                    List.of(), List.of(), new AlertsView(List.of(), List.of(), alerts.notifiers()));
        }
        java.util.function.Predicate<String> concerns = subject -> subject.equals(name)
                || subject.equals(pair.sourceDatabase()) || subject.equals(pair.targetDatabase())
                || subject.startsWith(pair.sourceDatabase() + "/");
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary,
                databases.stream().filter(d -> d.name().equals(pair.sourceDatabase()) || d.name().equals(pair.targetDatabase())).toList(),
                List.of(pair), cutover.stream().filter(v -> v.pair().equals(name)).toList(),
                trends.stream().filter(t -> concerns.test(t.subject())).toList(),
                new AlertsView(alerts.active().stream().filter(a -> concerns.test(a.subject())).toList(),
                        alerts.recent().stream().filter(a -> concerns.test(a.subject())).toList(), alerts.notifiers()));
    }

    /**
     * The part of this snapshot a page about one database needs: the database, the pairs it is a source or target
     * of with their verdicts, and the trends and alerts of it, its slots and those pairs, with the whole fleet's
     * summary and status. Empty lists when there is no such database.
     */
    public Snapshot forDatabase(String name) {
        List<DatabaseSnapshot> those = databases.stream().filter(d -> d.name().equals(name)).toList();
        List<PairInfo> itsPairs = those.isEmpty() ? List.of() : pairs.stream()
                .filter(p -> name.equals(p.sourceDatabase()) || name.equals(p.targetDatabase())).toList();
        java.util.Set<String> pairNames = itsPairs.stream().map(PairInfo::name).collect(java.util.stream.Collectors.toSet());
        // By kind as well as by name: a pair may have the name of a database.
        java.util.function.Predicate<Alert> alertConcerns = a -> !those.isEmpty()
                && ("pair".equals(a.kind()) ? pairNames.contains(a.subject())
                : a.subject().equals(name) || a.subject().startsWith(name + "/"));
        java.util.function.Predicate<Trend> trendConcerns = t -> !those.isEmpty()
                && ("lag".equals(t.kind()) ? pairNames.contains(t.subject()) : t.subject().startsWith(name + "/"));
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, those, itsPairs,
                cutover.stream().filter(v -> pairNames.contains(v.pair())).toList(),
                trends.stream().filter(trendConcerns).toList(),
                new AlertsView(alerts.active().stream().filter(alertConcerns).toList(),
                        alerts.recent().stream().filter(alertConcerns).toList(), alerts.notifiers()));
    }

    public Snapshot withCutover(List<PairCutover> verdicts) {
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, databases, pairs, verdicts, trends, alerts);
    }

    public Snapshot withTrends(List<Trend> newTrends) {
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, databases, pairs, cutover, newTrends, alerts);
    }

    public Snapshot withAlerts(AlertsView view) {
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, databases, pairs, cutover, trends, view);
    }
}

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

package io.pgrepmon.snapshot;

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
 */
@RegisterForReflection
public record Snapshot(long sequence, Instant takenAt, long tookMillis, long intervalMillis, Status status,
                       Summary summary, List<DatabaseSnapshot> databases, List<PairInfo> pairs,
                       List<PairCutover> cutover) {

    public Snapshot {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
        cutover = cutover == null ? List.of() : List.copyOf(cutover);
    }

    public Snapshot withCutover(List<PairCutover> verdicts) {
        return new Snapshot(sequence, takenAt, tookMillis, intervalMillis, status, summary, databases, pairs, verdicts);
    }
}

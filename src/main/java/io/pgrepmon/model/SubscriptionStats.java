package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Error and conflict counters of a subscription from {@code pg_stat_subscription_stats} (PostgreSQL 15+;
 * conflicts 18+, null before). The server's counters are cumulative; the {@code new*} fields count only what
 * happened since the monitor started or since {@code statsReset}, whichever is later, so an old error never
 * looks new.
 *
 * @param conflicts     the {@code confl_*} counters by name without the prefix, e.g. insert_exists (18+)
 * @param lastIncreaseAt the tick that last saw a new error or conflict
 * @param observedSince  the tick that first read these counters: what they held then happened before it, at an
 *                       unknown time, so an observation window starts here, not when the monitor started
 * @param skippedChanges changes skipped by a conflict (18+) that the monitor has seen since it started, across
 *                       resets of the counters: a reset does not undo the divergence they left
 */
@RegisterForReflection
public record SubscriptionStats(long applyErrors, long syncErrors, Map<String, Long> conflicts, Instant statsReset,
                                long newApplyErrors, long newSyncErrors, Long newConflicts, Instant lastIncreaseAt,
                                Instant observedSince, long skippedChanges) {

    /** Conflicts after which a change was skipped (18+): the row it was for now differs between the two sides. */
    public static final java.util.List<String> SKIPPED_CHANGE = java.util.List.of("update_missing", "delete_missing");

    public SubscriptionStats {
        conflicts = conflicts == null ? null : Collections.unmodifiableMap(new TreeMap<>(conflicts));
    }

    /** Counters read once, with the changes skipped since they were reset as all the monitor has seen. */
    public SubscriptionStats(long applyErrors, long syncErrors, Map<String, Long> conflicts, Instant statsReset,
                             long newApplyErrors, long newSyncErrors, Long newConflicts, Instant lastIncreaseAt,
                             Instant observedSince) {
        this(applyErrors, syncErrors, conflicts, statsReset, newApplyErrors, newSyncErrors, newConflicts, lastIncreaseAt,
                observedSince, skipped(conflicts));
    }

    /** Changes skipped according to the server's counters, since they were reset; 0 before 18. */
    public static long skipped(Map<String, Long> conflicts) {
        return conflicts == null ? 0 : SKIPPED_CHANGE.stream().mapToLong(k -> {
            Long n = conflicts.get(k);
            return n == null ? 0 : n;
        }).sum();
    }

    public long newTotal() {
        return newApplyErrors + newSyncErrors + (newConflicts == null ? 0 : newConflicts);
    }
}

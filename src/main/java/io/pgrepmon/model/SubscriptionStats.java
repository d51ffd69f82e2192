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
 */
@RegisterForReflection
public record SubscriptionStats(long applyErrors, long syncErrors, Map<String, Long> conflicts, Instant statsReset,
                                long newApplyErrors, long newSyncErrors, Long newConflicts, Instant lastIncreaseAt) {

    public SubscriptionStats {
        conflicts = conflicts == null ? null : Collections.unmodifiableMap(new TreeMap<>(conflicts));
    }

    public long newTotal() {
        return newApplyErrors + newSyncErrors + (newConflicts == null ? 0 : newConflicts);
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.probe.SubscriptionStatsRow;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the cumulative counters of {@code pg_stat_subscription_stats} into changes since the monitor started.
 * The first reading is the baseline, unless the server reset the counters after the monitor started (then
 * everything since the reset is new). A new {@code stats_reset}, or a counter going down, resets the baseline to 0.
 */
final class ErrorCounters {

    /**
     * {@code lastRaw}: the server's counters summed at the last reading, to tell a reset from one that went down;
     * {@code skipped}: the skipped changes seen in all, across resets, and {@code lastSkipped} their last raw count.
     */
    private record Baseline(Instant statsReset, long apply, long sync, long conflicts, long lastNewTotal,
                            Instant lastIncreaseAt, Instant firstSeen, long lastRaw, long skipped, long lastSkipped) {
    }

    private final Instant monitorStart;
    private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();

    ErrorCounters(Instant monitorStart) {
        this.monitorStart = monitorStart;
    }

    SubscriptionStats observe(String key, SubscriptionStatsRow row, Instant now) {
        long conflicts = row.conflicts() == null ? 0 : row.conflicts().values().stream()
                .mapToLong(v -> v == null ? 0 : v).sum();
        long raw = row.applyErrors() + row.syncErrors() + conflicts;
        long skippedRaw = SubscriptionStats.skipped(row.conflicts());
        Baseline base = baselines.get(key);
        boolean resetSinceStart = row.statsReset() != null && row.statsReset().isAfter(monitorStart);
        if (base == null) {
            // Skipped changes already counted at the first reading left their divergence whenever they happened.
            base = resetSinceStart ? new Baseline(row.statsReset(), 0, 0, 0, 0, null, now, 0, 0, 0)
                    : new Baseline(row.statsReset(), row.applyErrors(), row.syncErrors(), conflicts, 0, null, now, raw, 0, 0);
        } else if (!Objects.equals(base.statsReset(), row.statsReset()) || raw < base.lastRaw()) {
            // Reset, or the subscription recreated: counting starts again from 0, and any count above 0 is new.
            base = new Baseline(row.statsReset(), 0, 0, 0, 0, base.lastIncreaseAt(), base.firstSeen(), 0, base.skipped(), 0);
        }
        long skipped = base.skipped() + Math.max(0, skippedRaw - base.lastSkipped());
        long apply = row.applyErrors() >= base.apply() ? row.applyErrors() - base.apply() : row.applyErrors();
        long sync = row.syncErrors() >= base.sync() ? row.syncErrors() - base.sync() : row.syncErrors();
        long confl = conflicts >= base.conflicts() ? conflicts - base.conflicts() : conflicts;
        long total = apply + sync + confl;
        Instant lastIncrease = total > base.lastNewTotal() ? now : base.lastIncreaseAt();
        baselines.put(key, new Baseline(base.statsReset(),
                row.applyErrors() >= base.apply() ? base.apply() : 0,
                row.syncErrors() >= base.sync() ? base.sync() : 0,
                conflicts >= base.conflicts() ? base.conflicts() : 0, total, lastIncrease, base.firstSeen(), raw,
                skipped, skippedRaw));
        return new SubscriptionStats(row.applyErrors(), row.syncErrors(), row.conflicts(), row.statsReset(), apply, sync,
                row.conflicts() == null ? null : confl, lastIncrease, base.firstSeen(), skipped);
    }

    /**
     * Drops the counters of subscriptions that are gone, but not the skipped changes they had seen: a subscription
     * dropped and created again without a new copy still has the rows they left different.
     */
    void forget(java.util.function.Predicate<String> gone) {
        baselines.entrySet().removeIf(e -> gone.test(e.getKey()) && e.getValue().skipped() == 0);
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.probe.SubscriptionStatsRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Cumulative error counters turned into what is new, across first sight, resets and recreated subscriptions. */
class ErrorCountersTest {

    static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void countsAtFirstSightAreOldAndTheWindowStartsThere() {
        ErrorCounters counters = new ErrorCounters(START.minusSeconds(3600));
        SubscriptionStats first = counters.observe("db/sub", new SubscriptionStatsRow("sub", 3, 0, null, null), START);
        assertThat(first.newApplyErrors()).isZero();
        assertThat(first.lastIncreaseAt()).isNull();
        assertThat(first.observedSince()).isEqualTo(START);
    }

    /** After a reset the counts start again from 0: the first new errors must count even below the old total. */
    @Test
    void errorsAfterAResetOrARecreatedSubscriptionAreNewEvenBelowTheOldTotal() {
        ErrorCounters counters = new ErrorCounters(START.minusSeconds(3600));
        counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0, null, null), START);
        counters.observe("db/sub", new SubscriptionStatsRow("sub", 3, 0, null, null), START.plusSeconds(1));
        SubscriptionStats recreated = counters.observe("db/sub", new SubscriptionStatsRow("sub", 1, 0, null, null),
                START.plusSeconds(100));
        assertThat(recreated.newApplyErrors()).isEqualTo(1);
        assertThat(recreated.lastIncreaseAt()).as("a counter that went down and up again").isEqualTo(START.plusSeconds(100));
        SubscriptionStats reset = counters.observe("db/sub", new SubscriptionStatsRow("sub", 1, 0, null,
                START.plusSeconds(150)), START.plusSeconds(200));
        assertThat(reset.lastIncreaseAt()).as("stats_reset moved and 1 error is there").isEqualTo(START.plusSeconds(200));
    }

    /** A reset of the counters (pg_stat_reset_subscription_stats) does not undo the rows a skipped change left behind. */
    @Test
    void skippedChangesSurviveAResetOfTheCounters() {
        ErrorCounters counters = new ErrorCounters(START.minusSeconds(3600));
        SubscriptionStats first = counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0,
                java.util.Map.of("update_missing", 2L, "insert_exists", 5L), null), START);
        assertThat(first.skippedChanges()).as("counted at first sight: they happened, whenever").isEqualTo(2);
        SubscriptionStats reset = counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0,
                java.util.Map.of("update_missing", 0L, "delete_missing", 0L), START.plusSeconds(10)), START.plusSeconds(20));
        assertThat(reset.skippedChanges()).isEqualTo(2);
        SubscriptionStats more = counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0,
                java.util.Map.of("update_missing", 0L, "delete_missing", 1L), START.plusSeconds(10)), START.plusSeconds(30));
        assertThat(more.skippedChanges()).isEqualTo(3);
    }

    @Test
    void aSubscriptionDroppedAndCreatedAgainKeepsTheSkippedChangesItHadSeen() {
        ErrorCounters counters = new ErrorCounters(START.minusSeconds(3600));
        counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0, java.util.Map.of("delete_missing", 1L), null), START);
        counters.observe("db/quiet", new SubscriptionStatsRow("quiet", 0, 0, java.util.Map.of("delete_missing", 0L), null), START);
        counters.forget(key -> true);
        SubscriptionStats again = counters.observe("db/sub", new SubscriptionStatsRow("sub", 0, 0,
                java.util.Map.of("delete_missing", 0L), START.plusSeconds(5)), START.plusSeconds(10));
        assertThat(again.skippedChanges()).isEqualTo(1);
        SubscriptionStats fresh = counters.observe("db/quiet", new SubscriptionStatsRow("quiet", 2, 0,
                java.util.Map.of("delete_missing", 0L), null), START.plusSeconds(10));
        assertThat(fresh.newApplyErrors()).as("forgotten: its first reading is the baseline again").isZero();
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.assemble.LagEstimator.Estimate;
import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag-in-seconds estimate, method by method, from positions fed tick by tick as the assembler does. */
class LagEstimatorTest {

    final LagEstimator estimator = new LagEstimator();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    private Estimate at(int second, Long lagBytes, long confirmed, Long replayLagMillis, Double heartbeat) {
        return estimator.estimate("pair", t0.plusSeconds(second), lagBytes, new Lsn(confirmed), replayLagMillis, heartbeat);
    }

    @Test
    void theHeartbeatIsPreferredToEveryEstimate() {
        Estimate e = at(0, 5000L, 100, 1500L, 2.5);
        assertThat(e.method()).isEqualTo(LagMethod.HEARTBEAT);
        assertThat(e.seconds()).isEqualTo(2.5);
        assertThat(e.text()).startsWith("heartbeat");
    }

    @Test
    void caughtUpIsZeroAndAnUnknownPositionIsUnknown() {
        assertThat(at(0, 0L, 100, null, null)).satisfies(e -> {
            assertThat(e.method()).isEqualTo(LagMethod.CAUGHT_UP);
            assertThat(e.seconds()).isZero();
        });
        Estimate unknown = estimator.estimate("other", t0, null, null, null, null);
        assertThat(unknown.method()).isEqualTo(LagMethod.UNKNOWN);
        assertThat(unknown.seconds()).isNull();
        assertThat(unknown.rateBytesPerSecond()).isNull();
    }

    @Test
    void theWalsendersReplayLagIsUsedWhileItIsMeasured() {
        Estimate e = at(0, 5000L, 100, 1500L, null);
        assertThat(e.method()).isEqualTo(LagMethod.REPLAY_LAG);
        assertThat(e.seconds()).isEqualTo(1.5);
    }

    @Test
    void withoutReplayLagTheBytesBehindAreDividedByTheRecentApplyRate() {
        Estimate first = at(0, 5000L, 100, null, null);
        assertThat(first.method()).as("one poll cannot measure a rate").isEqualTo(LagMethod.UNKNOWN);
        assertThat(first.text()).contains("second poll");
        Estimate second = at(10, 5000L, 10_100, null, null);
        assertThat(second.method()).isEqualTo(LagMethod.APPLY_RATE);
        assertThat(second.rateBytesPerSecond()).isEqualTo(1000.0);
        assertThat(second.seconds()).isEqualTo(5.0);
        assertThat(second.text()).contains("1000 B/s", "10 s");
    }

    @Test
    void aSlotStillForThreePollsWhileChangesWaitGivesALowerBound() {
        at(0, 5000L, 100, null, null);
        at(5, 5000L, 600, null, null);
        at(10, 6000L, 600, null, null);
        Estimate still = at(15, 7000L, 600, null, null);
        assertThat(still.method()).isEqualTo(LagMethod.LOWER_BOUND);
        assertThat(still.seconds()).as("since the confirmed position last moved, at 5 s").isEqualTo(10.0);
        assertThat(still.text()).startsWith("at least");
    }

    @Test
    void theRateForgetsSamplesOlderThanTheWindowAndForgottenPairsStartOver() {
        at(0, 5000L, 0, null, null);
        at(30, 5000L, 3000, null, null);
        Estimate late = at(30 + (int) LagEstimator.WINDOW.toSeconds() + 10, 5000L, 3000 + 100 * 70, null, null);
        assertThat(late.rateBytesPerSecond()).as("the sample at 0 s has left the window").isEqualTo(100.0);
        estimator.forget(key -> key.equals("pair"));
        assertThat(at(200, 5000L, 99_999, null, null).method()).isEqualTo(LagMethod.UNKNOWN);
    }
}

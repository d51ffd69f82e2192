package io.pgrepmon.serve.web;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Summary;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate a cutover script waits on answers 200 only for a Ready verdict that is current. */
class CutoverResourceTest {

    static final PairCutover READY = new PairCutover("orders", PairCutover.Verdict.READY, "ready: every check passes",
            List.of(CutoverCheck.pass("a", "a", "fine")), null, List.of());

    static Snapshot takenAt(Instant at) {
        return new Snapshot(7, at, 40, 1000, Status.HEALTHY, new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null),
                List.of(), List.of(), List.of(READY), List.of(), AlertsView.NONE);
    }

    @Test
    void aReadyVerdictOlderThanATickAndItsDeadlineIsNotServedAsReady() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        Duration staleAfter = Duration.ofMillis(2800);
        assertThat(CutoverResource.gate(READY, takenAt(now.minusMillis(2700)), staleAfter, now).getStatus()).isEqualTo(200);
        Response stale = CutoverResource.gate(READY, takenAt(now.minusSeconds(3)), staleAfter, now);
        assertThat(stale.getStatus()).isEqualTo(503);
        assertThat(stale.getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class, e -> {
            assertThat(e.error()).isEqualTo("stale snapshot");
            assertThat(e.detail()).contains("3 s ago", "(2800 ms)", "(ready)");
        });
        PairCutover notReady = new PairCutover("orders", PairCutover.Verdict.NOT_READY, "not ready", List.of(), null, List.of());
        assertThat(CutoverResource.gate(notReady, takenAt(now), staleAfter, now).getStatus()).isEqualTo(503);
    }

    /** A tick may take its whole deadline and make the next one skip, so the limit is more than two intervals. */
    @Test
    void theLimitAllowsForSkippedTicksAndTheDeadline() {
        assertThat(poll(1000, 800).staleAfter()).isEqualTo(Duration.ofMillis(2800));
        assertThat(poll(5000, 4000).staleAfter()).isEqualTo(Duration.ofMillis(14000));
        assertThat(poll(1000, 2500).staleAfter()).isEqualTo(Duration.ofMillis(6500));
    }

    static MonitorSettings.Poll poll(long intervalMillis, long queryTimeoutMillis) {
        return new MonitorSettings.Poll(Duration.ofMillis(intervalMillis), Duration.ofMillis(500),
                Duration.ofMillis(queryTimeoutMillis), Duration.ZERO, true, Duration.ofMinutes(1), 16);
    }
}

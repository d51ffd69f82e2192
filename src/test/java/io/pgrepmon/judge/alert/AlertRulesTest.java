package io.pgrepmon.judge.alert;

import io.pgrepmon.judge.alert.AlertRules.Observation;
import io.pgrepmon.judge.alert.AlertRules.Transition;
import io.pgrepmon.model.AlertEvent;
import io.pgrepmon.model.AlertState;
import io.pgrepmon.model.Severity;
import io.pgrepmon.model.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRulesTest {

    final Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
    final AlertRules rules = new AlertRules(Duration.ofSeconds(60), Duration.ofSeconds(120), Status.WARNING);

    List<Transition> at(int seconds, Status status) {
        return rules.observe(List.of(new Observation("orders", "pair", status, List.of("reason"))), t0.plusSeconds(seconds));
    }

    @Test
    void firesOnlyAfterStayingUnhealthyAndResolvesOnlyAfterStayingHealthy() {
        assertThat(at(0, Status.WARNING)).isEmpty();
        assertThat(rules.active()).singleElement().extracting("state").isEqualTo(AlertState.PENDING);
        assertThat(at(59, Status.WARNING)).isEmpty();
        List<Transition> fired = at(60, Status.WARNING);
        assertThat(fired).singleElement().satisfies(t -> {
            assertThat(t.event()).isEqualTo(AlertEvent.FIRING);
            assertThat(t.alert().severity()).isEqualTo(Severity.WARNING);
            assertThat(t.alert().firedAt()).isEqualTo(t0.plusSeconds(60));
        });
        assertThat(at(70, Status.CRITICAL)).singleElement().extracting(Transition::event).isEqualTo(AlertEvent.ESCALATED);
        assertThat(at(80, Status.HEALTHY)).as("resolving, not yet resolved").isEmpty();
        assertThat(rules.active()).singleElement().extracting("state").isEqualTo(AlertState.RESOLVING);
        assertThat(at(150, Status.WARNING)).as("unhealthy again while resolving: firing, no new notification").isEmpty();
        assertThat(rules.active()).singleElement().extracting("state", "severity").containsExactly(AlertState.FIRING, Severity.CRITICAL);
        assertThat(at(160, Status.HEALTHY)).isEmpty();
        assertThat(at(279, Status.HEALTHY)).isEmpty();
        assertThat(at(280, Status.HEALTHY)).singleElement().satisfies(t -> {
            assertThat(t.event()).isEqualTo(AlertEvent.RESOLVED);
            assertThat(t.alert().resolvedAt()).isEqualTo(t0.plusSeconds(280));
        });
        assertThat(rules.active()).isEmpty();
        assertThat(rules.recent()).hasSize(1);
    }

    @Test
    void aValueHoveringAtTheThresholdNotifiesNobody() {
        for (int s = 0; s < 600; s += 5) {
            assertThat(at(s, s % 10 == 0 ? Status.WARNING : Status.HEALTHY)).isEmpty();
        }
        assertThat(rules.recent()).isEmpty();
    }

    @Test
    void minSeverityCriticalIgnoresWarningsAndAVanishedSubjectResolves() {
        AlertRules critical = new AlertRules(Duration.ZERO, Duration.ZERO, Status.CRITICAL);
        Instant now = t0;
        assertThat(critical.observe(List.of(new Observation("db", "database", Status.WARNING, List.of())), now)).isEmpty();
        assertThat(critical.active()).isEmpty();
        critical.observe(List.of(new Observation("db", "database", Status.DOWN, List.of("unreachable"))), now);
        assertThat(critical.observe(List.of(new Observation("db", "database", Status.DOWN, List.of())), now.plusSeconds(1)))
                .singleElement().extracting(Transition::event).isEqualTo(AlertEvent.FIRING);
        critical.observe(List.of(), now.plusSeconds(2));
        assertThat(critical.observe(List.of(), now.plusSeconds(3))).singleElement().extracting(Transition::event).isEqualTo(AlertEvent.RESOLVED);
    }
}

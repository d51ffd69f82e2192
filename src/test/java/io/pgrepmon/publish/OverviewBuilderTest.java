package io.pgrepmon.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pgrepmon.assemble.FleetPipelineBenchmark;
import io.pgrepmon.config.Role;
import io.pgrepmon.judge.history.History;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.Overview;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Summary;
import io.pgrepmon.model.Trend;
import io.pgrepmon.model.TrendDirection;
import io.pgrepmon.model.WalSenderActivity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview: each pair and database in a line, with what a table of hundreds of them needs and no more. */
class OverviewBuilderTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final Summary SUMMARY = new Summary(4, 2, 2, 3, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, null, null);

    static PairInfo pair(String name, long lag, Health health) {
        return new PairInfo(name, "src_" + name, name, "dst_" + name, name, "source", lag, 1.5, LagMethod.APPLY_RATE,
                "rate", 10.0, WalSenderActivity.STREAMING, Map.of("r", 3, "d", 1), List.of("public.late"), health);
    }

    static DatabaseSnapshot database(String name, Role role, boolean reachable, Health health) {
        return new DatabaseSnapshot(name, role, "h", 5432, "app", reachable, health, null, NOW, 1,
                reachable ? null : "connection refused", NOW.minusSeconds(60), null, null, List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null);
    }

    static Snapshot snapshot(Instant at, long lagOfA) {
        PairCutover verdict = new PairCutover("a", PairCutover.Verdict.NOT_READY, "no", List.of(
                new CutoverCheck("caught-up", "Caught up", CutoverCheck.Result.FAIL, "behind", List.of()),
                new CutoverCheck("tables-ready", "Tables", CutoverCheck.Result.PASS, "all", List.of()),
                new CutoverCheck("sequences", "Sequences", CutoverCheck.Result.UNKNOWN, "not compared", List.of())),
                null, List.of());
        return new Snapshot(1, at, 3, 5000, Status.DOWN, SUMMARY,
                List.of(database("src_a", Role.SOURCE, true, Health.HEALTHY),
                        database("dst_a", Role.TARGET, true, new Health(Status.WARNING, List.of("one", "two"))),
                        database("src_b", Role.SOURCE, true, Health.HEALTHY), database("dst_b", Role.TARGET, false, Health.HEALTHY)),
                List.of(pair("a", lagOfA, new Health(Status.WARNING, List.of("lag is high", "second"))), pair("b", 0, Health.HEALTHY)),
                List.of(verdict), List.of(new Trend("a", "lag", TrendDirection.CATCHING_UP, 42.0, -10.0, "in 42 s")),
                AlertsView.NONE);
    }

    @Test
    void eachPairInALineWithItsVerdictOpenChecksTrendAndLagSparkline() {
        History history = new History(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(5));
        history.record(snapshot(NOW.minus(Duration.ofMinutes(10)), 100));
        history.record(snapshot(NOW.minus(Duration.ofMinutes(5)), 400));
        history.record(snapshot(NOW.minus(Duration.ofMinutes(20)), 9999)); // older than the sparkline's window
        Snapshot now = snapshot(NOW, 200);
        history.record(now);

        Overview overview = OverviewBuilder.build(now, history);

        Overview.PairRow a = overview.pairs().get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.status()).isEqualTo(Status.WARNING);
        assertThat(a.reason()).isEqualTo("lag is high");
        assertThat(a.reasons()).isEqualTo(2);
        assertThat(a.verdict()).isEqualTo(PairCutover.Verdict.NOT_READY);
        assertThat(a.passedChecks()).isEqualTo(1);
        assertThat(a.checks()).isEqualTo(3);
        assertThat(a.trend()).isEqualTo(TrendDirection.CATCHING_UP);
        assertThat(a.etaSeconds()).isEqualTo(42.0);
        assertThat(a.tableStates()).containsEntry("d", 1);
        assertThat(a.missingTables()).isEqualTo(1);
        assertThat(overview.sparkSeconds()).isEqualTo(900);
        // 15 minutes in 30 steps of 30 s: 10 min ago is step 10, 5 min ago step 20, now the last; in % of the peak.
        assertThat(a.lagPeak()).isEqualTo(400);
        assertThat(a.spark()).hasSize(30);
        List<Integer> expected = new ArrayList<>(Arrays.asList(new Integer[30]));
        expected.set(10, 25);
        expected.set(20, 100);
        expected.set(29, 50);
        assertThat(a.spark()).isEqualTo(expected);

        Overview.PairRow b = overview.pairs().get(1);
        assertThat(b.verdict()).as("not evaluated yet").isNull();
        assertThat(b.checks()).isZero();
        assertThat(b.spark()).as("a lag of 0 throughout").containsOnly(0, null);
        assertThat(b.lagPeak()).isZero();
        assertThat(OverviewBuilder.build(now, null).pairs().get(0).spark()).as("no history, no sparkline").isNull();

        assertThat(overview.databases()).extracting(Overview.DatabaseRow::status)
                .containsExactly(Status.HEALTHY, Status.WARNING, Status.HEALTHY, Status.DOWN);
        assertThat(overview.databases().get(1).reason()).isEqualTo("one");
        assertThat(overview.databases().get(3).reason()).as("why it is down").isEqualTo("connection refused");
        assertThat(overview.databases().get(3).lastSuccessAt()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void theOverviewOfFiveHundredPairsIsAFractionOfTheWholeSnapshot() throws Exception {
        ObjectMapper mapper = JsonMapper.builder().findAndAddModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        Snapshot fleet = FleetPipelineBenchmark.fleet(1000);
        History history = new History(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(5));
        history.record(fleet);

        String whole = mapper.writeValueAsString(fleet);
        String overview = mapper.writeValueAsString(OverviewBuilder.build(fleet, history));

        assertThat(fleet.pairs()).hasSize(500);
        assertThat(overview).contains("\"spark\":[");
        System.out.printf("500 pairs, 1000 databases: whole snapshot %,d bytes, overview %,d bytes%n", whole.length(), overview.length());
        assertThat(overview.length()).as("overview vs whole snapshot").isLessThan(whole.length() / 4);
    }
}

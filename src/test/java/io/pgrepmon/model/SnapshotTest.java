package io.pgrepmon.model;

import io.pgrepmon.config.Role;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a page about one pair or one database receives: its part of the snapshot, nothing of the others. */
class SnapshotTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    static DatabaseSnapshot database(String name, Role role) {
        return new DatabaseSnapshot(name, role, "h", 5432, "app", true, Health.HEALTHY, null, NOW, 1, null, NOW, null,
                null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null,
                null, null);
    }

    static PairInfo pair(String name, String source, String target) {
        return new PairInfo(name, source, name, target, name, "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
    }

    /** An alert of a pair when the subject names one of the fixtures' pairs (a, b, src), else of a database. */
    static Alert alert(String subject) {
        String kind = List.of("a", "b").contains(subject) ? "pair" : "database";
        return new Alert(subject, kind, Severity.WARNING, AlertState.FIRING, NOW, NOW, null, List.of("why"));
    }

    static Snapshot twoPairs(Summary summary) {
        AlertsView alerts = new AlertsView(List.of(alert("a"), alert("src_a/a"), alert("b"), alert("dst_b")),
                List.of(alert("dst_a")), List.of());
        return new Snapshot(7, NOW, 3, 5000, Status.WARNING, summary,
                List.of(database("src_a", Role.SOURCE), database("dst_a", Role.TARGET), database("src_b", Role.SOURCE),
                        database("dst_b", Role.TARGET)),
                List.of(pair("a", "src_a", "dst_a"), pair("b", "src_b", "dst_b")),
                List.of(new PairCutover("a", PairCutover.Verdict.UNKNOWN, "?", List.of(), null, List.of()),
                        new PairCutover("b", PairCutover.Verdict.READY, "ready", List.of(), null, List.of())),
                List.of(new Trend("a", "lag", TrendDirection.STABLE, null, null, "steady"),
                        new Trend("src_b/b", "slot-loss", TrendDirection.STABLE, null, null, "steady")),
                alerts);
    }

    @Test
    void aDatabasesPartHoldsItItsPairsWithTheirVerdictsAndTheAlertsOfAllOfThem() {
        Summary summary = new Summary(4, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        Snapshot whole = twoPairs(summary);

        Snapshot part = whole.forDatabase("src_b");
        assertThat(part.summary()).isSameAs(summary);
        assertThat(part.databases()).extracting(DatabaseSnapshot::name).containsExactly("src_b");
        assertThat(part.pairs()).extracting(PairInfo::name).containsExactly("b");
        assertThat(part.cutover()).extracting(PairCutover::pair).containsExactly("b");
        assertThat(part.trends()).extracting(Trend::subject).containsExactly("src_b/b");
        assertThat(part.alerts().active()).extracting(Alert::subject).containsExactly("b");
        assertThat(whole.forDatabase("dst_a").alerts().recent()).extracting(Alert::subject).containsExactly("dst_a");
        assertThat(whole.forDatabase("dst_a").alerts().active()).extracting(Alert::subject).containsExactly("a");

        Snapshot none = whole.forDatabase("src");
        assertThat(none.databases()).isEmpty();
        assertThat(none.pairs()).isEmpty();
        assertThat(none.alerts().active()).isEmpty();
    }

    @Test
    void aDatabasesPartTakesNothingOfADatabaseWhoseNameItBeginsNorOfAPairThatHasItsName() {
        Summary summary = new Summary(3, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        Alert pairNamedSrc = new Alert("src", "pair", Severity.WARNING, AlertState.FIRING, NOW, NOW, null, List.of("why"));
        Snapshot whole = new Snapshot(8, NOW, 3, 5000, Status.WARNING, summary,
                List.of(database("src", Role.SOURCE), database("src2", Role.SOURCE), database("dst", Role.TARGET)),
                List.of(pair("src", "src2", "dst")), List.of(),
                List.of(new Trend("src2/s", "slot-loss", TrendDirection.STABLE, null, null, "steady"),
                        new Trend("src/s", "slot-loss", TrendDirection.STABLE, null, null, "steady"),
                        new Trend("src", "lag", TrendDirection.STABLE, null, null, "steady")),
                new AlertsView(List.of(alert("src2"), alert("src2/s"), alert("src"), pairNamedSrc), List.of(), List.of()));

        Snapshot part = whole.forDatabase("src");
        assertThat(part.databases()).extracting(DatabaseSnapshot::name).containsExactly("src");
        assertThat(part.pairs()).as("the pair named src runs between src2 and dst").isEmpty();
        assertThat(part.trends()).extracting(Trend::subject).containsExactly("src/s");
        assertThat(part.alerts().active()).extracting(Alert::subject, Alert::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("src", "database"));
        assertThat(whole.forDatabase("src2").alerts().active()).extracting(Alert::subject, Alert::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("src2", "database"), org.assertj.core.groups.Tuple.tuple("src2/s", "database"),
                org.assertj.core.groups.Tuple.tuple("src", "pair"));
    }

    @Test
    void aPairsPartHoldsItsDatabasesVerdictTrendsAndAlertsWithTheWholeSummary() {
        Summary summary = new Summary(4, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        Snapshot whole = twoPairs(summary);

        Snapshot part = whole.forPair("a");
        assertThat(part.sequence()).isEqualTo(7);
        assertThat(part.summary()).isSameAs(summary);
        assertThat(part.status()).isEqualTo(Status.WARNING);
        assertThat(part.databases()).extracting(DatabaseSnapshot::name).containsExactly("src_a", "dst_a");
        assertThat(part.pairs()).extracting(PairInfo::name).containsExactly("a");
        assertThat(part.cutover()).extracting(PairCutover::pair).containsExactly("a");
        assertThat(part.trends()).extracting(Trend::subject).containsExactly("a");
        assertThat(part.alerts().active()).extracting(Alert::subject).containsExactly("a", "src_a/a");
        assertThat(part.alerts().recent()).extracting(Alert::subject).containsExactly("dst_a");

        Snapshot none = whole.forPair("c");
        assertThat(none.pairs()).isEmpty();
        assertThat(none.databases()).isEmpty();
        assertThat(none.cutover()).isEmpty();
        assertThat(none.alerts().active()).isEmpty();
    }
}

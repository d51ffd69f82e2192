package io.pgrepmon.judge.cutover;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.ProbeReport;
import io.pgrepmon.model.PublicationFilter;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SequenceReport;
import io.pgrepmon.model.SequenceStatus;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SourceActivity;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.TableContent;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.WalSenderActivity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CutoverEvaluatorTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void verdictIsReadyOnlyWhenEveryCheckPasses() {
        CutoverCheck ok = CutoverCheck.pass("a", "a", "fine");
        CutoverCheck unknown = CutoverCheck.unknown("b", "b", "not known");
        CutoverCheck failed = CutoverCheck.fail("c", "c", "broken", List.of());
        assertThat(CutoverEvaluator.verdict("p", List.of(ok, ok), null).verdict()).isEqualTo(PairCutover.Verdict.READY);
        PairCutover withUnknown = CutoverEvaluator.verdict("p", List.of(ok, unknown), null);
        assertThat(withUnknown.verdict()).isEqualTo(PairCutover.Verdict.UNKNOWN);
        assertThat(withUnknown.summary()).isEqualTo("unknown: b cannot be decided yet");
        PairCutover withFailure = CutoverEvaluator.verdict("p", List.of(ok, unknown, failed), null);
        assertThat(withFailure.verdict()).isEqualTo(PairCutover.Verdict.NOT_READY);
        assertThat(withFailure.summary()).isEqualTo("not ready: c failed; unknown: b");
    }

    @Test
    void sequencesAreComparedWithTheStatementThatFixesThem() {
        assertThat(CutoverEvaluator.compare("public.s", 100L, 100L, true).status()).isEqualTo(SequenceStatus.OK);
        assertThat(CutoverEvaluator.compare("public.s", 100L, 250L, true).status()).isEqualTo(SequenceStatus.OK);
        assertThat(CutoverEvaluator.compare("public.s", null, null, true).status()).as("never used on the source").isEqualTo(SequenceStatus.OK);
        SequenceReport behind = CutoverEvaluator.compare("public.\"Odd's\"", 100L, null, true);
        assertThat(behind.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(behind.fix()).isEqualTo("SELECT setval('public.\"Odd''s\"', 100, true);");
        assertThat(CutoverEvaluator.compare("public.s", 5L, null, false).status()).isEqualTo(SequenceStatus.MISSING);
        assertThat(CutoverEvaluator.compare("public.down", -5000L, -1L, true, false).status())
                .as("a descending sequence must be at or below the source's").isEqualTo(SequenceStatus.BEHIND);
        assertThat(CutoverEvaluator.compare("public.down", -5000L, -5001L, true, false).status()).isEqualTo(SequenceStatus.OK);
    }

    static SubscriptionInfo sub(Integer pid, Instant workerSince) {
        return new SubscriptionInfo(new SubscriptionReading("sub", true, "sub", List.of("pub"), pid, null, null, null,
                null, null, null, null, null, null, null, 0, null, null), workerSince, List.of(), null, null, null);
    }

    @Test
    void beforePostgres15AStableApplyWorkerIsTheEvidenceOfNoErrors() {
        Duration window = Duration.ofMinutes(10);
        Instant start = NOW.minus(Duration.ofHours(1));
        assertThat(CutoverEvaluator.noNewErrors(sub(42, NOW.minusSeconds(700)), window, start, NOW).result())
                .isEqualTo(CutoverCheck.Result.PASS);
        CutoverCheck young = CutoverEvaluator.noNewErrors(sub(42, NOW.minusSeconds(30)), window, start, NOW);
        assertThat(young.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(young.evidence()).contains("seen for 30 s of the 10 min 0 s window");
    }

    @Test
    void deepResultsOlderThanTheLastRowChangeAreStale() {
        DeepCheck deep = new DeepCheck("p", NOW.minusSeconds(60), List.of(), null, List.of(), null, List.of(), null, null, null, null);
        assertThat(CutoverEvaluator.sequences(deep, "rows changed after the deep check").result())
                .isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(CutoverEvaluator.sequences(deep, null).result()).isEqualTo(CutoverCheck.Result.PASS);
        DeepCheck counts = new DeepCheck("p", NOW, List.of(), null,
                List.of(new DeepCheck.TableCount("public.big", null, null, "about 5000000 rows, above the limit")), null, List.of(), null, null, null, null);
        CutoverCheck uncounted = CutoverEvaluator.rowCounts(counts, null);
        assertThat(uncounted.result()).as("an uncounted table is never a pass").isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(uncounted.items()).containsExactly("public.big: about 5000000 rows, above the limit");
    }

    static DatabaseSnapshot database(String name, Role role, List<ProbeReport> probes, List<TableInfo> tables,
                                     List<SubscriptionInfo> subscriptions) {
        return new DatabaseSnapshot(name, role, "h", 5432, "app", true, Health.HEALTHY, null, NOW, 1, null, NOW, null,
                null, probes, List.of(), List.of(), List.of(), List.of(), List.of(), tables, subscriptions, null, null, null, null);
    }

    @Test
    void coverageIsUnknownWhenThePublicationsWereNotReadAndCountsAnotherPairBetweenTheSameDatabases() {
        TableInfo orders = new TableInfo(new TableReading("public", "orders", List.of("pub_a"), true, "default", true, 1, 1L),
                Health.HEALTHY);
        TableInfo items = new TableInfo(new TableReading("public", "items", List.of("pub_b"), true, "default", true, 1, 1L),
                Health.HEALTHY);
        SubscriptionInfo subA = new SubscriptionInfo(new SubscriptionReading("sub_a", true, "sub_a", List.of("pub_a"), 1,
                null, null, null, null, null, null, null, null, null, null, 0, null, null), NOW, List.of(), null, null, Health.HEALTHY);
        SubscriptionInfo subB = new SubscriptionInfo(new SubscriptionReading("sub_b", true, "sub_b", List.of("pub_b"), 2,
                null, null, null, null, null, null, null, null, null, null, 0, null, null), NOW, List.of(), null, null, Health.HEALTHY);
        PairInfo a = new PairInfo("sub_a", "src", "sub_a", "dst", "sub_a", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        PairInfo b = new PairInfo("sub_b", "src", "sub_b", "dst", "sub_b", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        DatabaseSnapshot target = database("dst", Role.TARGET, List.of(), List.of(), List.of(subA, subB));
        List<ProbeReport> read = List.of(new ProbeReport("publications", 1, null), new ProbeReport("tables", 1, null));
        List<ProbeReport> failed = List.of(new ProbeReport("publications", 1, "permission denied"),
                new ProbeReport("tables", 1, null));

        Snapshot split = snapshot(List.of(database("src", Role.SOURCE, read, List.of(orders, items), List.of()), target),
                List.of(a, b));
        CutoverCheck both = CutoverEvaluator.coverage(a, subA, split);
        assertThat(both.result()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(both.evidence()).contains("public.items (sub_b)");

        Snapshot alone = snapshot(split.databases(), List.of(a));
        assertThat(CutoverEvaluator.coverage(a, subA, alone).items())
                .containsExactly("public.items: published only by pub_b, which no subscription from src to dst receives"
                        + " (this one receives pub_a)");

        Snapshot blind = snapshot(List.of(database("src", Role.SOURCE, failed, List.of(orders, items), List.of()), target),
                List.of(a, b));
        assertThat(CutoverEvaluator.coverage(a, subA, blind).result()).as("missing input is unknown, never pass")
                .isEqualTo(CutoverCheck.Result.UNKNOWN);
    }

    /**
     * Through publish_via_partition_root, the subscription lists the partitioned table, which the source's tables
     * (its partitions) name as their ancestor: covered while they are published to it; a row filter on the root is
     * the partitions' filter.
     */
    @Test
    void aSubscriptionThroughThePartitionRootCoversItsPartitionsAndTheRootsRowFilterIsTheirs() {
        TableInfo november = new TableInfo(new TableReading("public", "events_11", List.of("pub_a"), true, "default", true, 1,
                1L, List.of("public.events")), Health.HEALTHY);
        TableInfo december = new TableInfo(new TableReading("public", "events_12", List.of("pub_a"), true, "default", true, 1,
                1L, List.of("public.events")), Health.HEALTHY);
        SubscriptionTable root = new SubscriptionTable("public", "events", "r", "ready", null, null, NOW, null);
        SubscriptionTable gone = new SubscriptionTable("public", "archive", "r", "ready", null, null, NOW, null);
        SubscriptionInfo subA = new SubscriptionInfo(new SubscriptionReading("sub_a", true, "sub_a", List.of("pub_a"), 1,
                null, null, null, null, null, null, null, null, null, null, 0, null, null), NOW, List.of(root), null, null, Health.HEALTHY);
        PairInfo a = new PairInfo("sub_a", "src", "sub_a", "dst", "sub_a", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        List<ProbeReport> read = List.of(new ProbeReport("publications", 1, null), new ProbeReport("tables", 1, null));
        Snapshot snapshot = snapshot(List.of(database("src", Role.SOURCE, read, List.of(november, december), List.of()),
                database("dst", Role.TARGET, List.of(), List.of(), List.of(subA))), List.of(a));

        CutoverCheck covered = CutoverEvaluator.coverage(a, subA, snapshot);
        assertThat(covered.result()).as(covered.toString()).isEqualTo(CutoverCheck.Result.PASS);

        SubscriptionInfo withGone = new SubscriptionInfo(subA.reading(), NOW, List.of(root, gone), null, null, Health.HEALTHY);
        assertThat(CutoverEvaluator.coverage(a, withGone, snapshot).items())
                .containsExactly("public.archive: subscribed, but not on the source");

        TableInfo unpublished = new TableInfo(new TableReading("public", "events_11", List.of("pub_b"), true, "default", true, 1,
                1L, List.of("public.events")), Health.HEALTHY);
        Snapshot moved = snapshot(List.of(database("src", Role.SOURCE, read, List.of(unpublished), List.of()),
                database("dst", Role.TARGET, List.of(), List.of(), List.of(subA))), List.of(a));
        assertThat(CutoverEvaluator.coverage(a, subA, moved).items()).contains("public.events: subscribed, but its partitions"
                + " are no longer published to it (their changes are not replicated; ALTER PUBLICATION ... ADD TABLE public.events)");

        PublicationFilter onRoot = new PublicationFilter("pub_a", "public", "events", List.of(), List.of(), "(region = 'eu')");
        CutoverEvaluator.Partial partial = CutoverEvaluator.partialSend(november.reading(), Set.of("pub_a"), List.of(onRoot));
        assertThat(partial).as("the root's row filter filters its partitions").isNotNull();
        assertThat(partial.description()).isEqualTo("pub_a sends only rows where (region = 'eu')");
        assertThat(CutoverEvaluator.partialSend(new TableReading("public", "events_11", List.of("pub_a"), true, "default", true,
                1, 1L), Set.of("pub_a"), List.of(onRoot))).as("another table's filter").isNull();

        // Declared by the partitioned table's name: its partitions are declared, and it is not counted either.
        DatabaseSnapshot filteredSource = new DatabaseSnapshot("src", Role.SOURCE, "h", 5432, "app", true, Health.HEALTHY, null,
                NOW, 1, null, NOW, null, null, read, List.of(), List.of(), List.of(), List.of(), List.of(onRoot),
                List.of(november, december), List.of(), null, null, null, null);
        Snapshot filtered = snapshot(List.of(filteredSource, database("dst", Role.TARGET, List.of(), List.of(), List.of(subA))),
                List.of(a));
        assertThat(CutoverEvaluator.coverage(a, subA, filtered).result()).isEqualTo(CutoverCheck.Result.FAIL);
        MonitorSettings.Cutover config = new MonitorSettings.Cutover(Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of("public.events"), 10_000_000, 10_000, Duration.ZERO,
                List.of(), Duration.ZERO);
        CutoverCheck declared = CutoverEvaluator.coverage(a, subA, filtered, config::declaredPartial);
        assertThat(declared.result()).as(declared.toString()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(CutoverEvaluator.declaredRowFiltered(a, subA, filtered, config))
                .containsExactlyInAnyOrder("public.events", "public.events_11", "public.events_12");
        // One partition declared leaves the partitioned table, and so its other partitions' rows, compared.
        MonitorSettings.Cutover one = new MonitorSettings.Cutover(Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of("public.events_11"), 10_000_000, 10_000,
                Duration.ZERO, List.of(), Duration.ZERO);
        assertThat(CutoverEvaluator.declaredRowFiltered(a, subA, filtered, one)).containsExactly("public.events_11");
    }

    static Snapshot snapshot(List<DatabaseSnapshot> databases, List<PairInfo> pairs) {
        return new Snapshot(1, NOW, 1, 1000, Status.HEALTHY, null, databases, pairs, List.of(), List.of(), AlertsView.NONE);
    }

    @Test
    void aTableIsSentInPartOnlyWhenEveryReceivingPublicationFiltersItsRowsOrItsColumnListLeavesOneOut() {
        TableReading items = new TableReading("public", "items", List.of("pub_a", "pub_b"), true, "default", true, 1, 1L);
        PublicationFilter rowsA = new PublicationFilter("pub_a", "public", "items", List.of(), List.of(), "(id > 0)");
        PublicationFilter rowsB = new PublicationFilter("pub_b", "public", "items", List.of(), List.of(), "(id < -5)");
        PublicationFilter allColumns = new PublicationFilter("pub_b", "public", "items", List.of("id", "name"), List.of(), null);
        PublicationFilter someColumns = new PublicationFilter("pub_a", "public", "items", List.of("id"), List.of("name"), null);

        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a"), List.of())).as("no filter").isNull();
        CutoverEvaluator.Partial rows = CutoverEvaluator.partialSend(items, Set.of("pub_a"), List.of(rowsA));
        assertThat(rows.rowsFiltered()).isTrue();
        assertThat(rows.description()).isEqualTo("pub_a sends only rows where (id > 0)");
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(rowsA)))
                .as("pub_b sends every row").isNull();
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(rowsA, rowsB)).description())
                .isEqualTo("pub_a sends only rows where (id > 0) or pub_b sends only rows where (id < -5)");
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_b"), List.of(rowsA))).as("pub_a is not received").isNull();
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_b"), List.of(allColumns))).as("a list of every column").isNull();
        CutoverEvaluator.Partial columns = CutoverEvaluator.partialSend(items, Set.of("pub_a"), List.of(someColumns));
        assertThat(columns.rowsFiltered()).isFalse();
        assertThat(columns.description()).isEqualTo("pub_a sends only columns id (not name)");
    }

    @Test
    void anOperationNoReceivingPublicationPublishesMakesTheTableSentInPart() {
        TableReading items = new TableReading("public", "items", List.of("pub_a", "pub_b"), true, "default", true, 1, 1L);
        PublicationInfo insertsOnly = new PublicationInfo("pub_a", false, true, false, false, false, 1, List.of("public.items"));
        PublicationInfo noTruncate = new PublicationInfo("pub_b", false, true, true, true, false, 1, List.of("public.items"));
        PublicationInfo everything = new PublicationInfo("pub_b", false, true, true, true, true, 1, List.of("public.items"));

        CutoverEvaluator.Partial a = CutoverEvaluator.partialSend(items, Set.of("pub_a"), List.of(), List.of(insertsOnly, noTruncate));
        assertThat(a.rowsFiltered()).as("rows may differ").isTrue();
        assertThat(a.description()).startsWith("pub_a does not publish update, delete, truncate, so the target misses");
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(), List.of(insertsOnly, noTruncate))
                .description()).as("the operations of both are OR-ed").startsWith("pub_a, pub_b do not publish truncate,");
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(), List.of(insertsOnly, everything)))
                .as("pub_b sends every operation").isNull();
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_b"), List.of(), List.of(insertsOnly, everything))).isNull();
    }

    /** Row filters are per operation: inserts sent whole by one publication do not make updates whole. */
    @Test
    void aRowFilterIsJudgedForEachOperationOverThePublicationsThatPublishIt() {
        TableReading items = new TableReading("public", "items", List.of("pub_a", "pub_b"), true, "default", true, 1, 1L);
        PublicationInfo insertsOnly = new PublicationInfo("pub_a", false, true, false, false, true, 1, List.of("public.items"));
        PublicationInfo all = new PublicationInfo("pub_b", false, true, true, true, true, 1, List.of("public.items"));
        PublicationFilter eu = new PublicationFilter("pub_b", "public", "items", List.of(), List.of(), "(region = 'eu')");

        CutoverEvaluator.Partial partial = CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(eu),
                List.of(insertsOnly, all));
        assertThat(partial.rowsFiltered()).isTrue();
        assertThat(partial.description()).isEqualTo("for update: pub_b sends only rows where (region = 'eu'); for delete:"
                + " pub_b sends only rows where (region = 'eu')");
        PublicationInfo allA = new PublicationInfo("pub_a", false, true, true, true, true, 1, List.of("public.items"));
        assertThat(CutoverEvaluator.partialSend(items, Set.of("pub_a", "pub_b"), List.of(eu), List.of(allA, all)))
                .as("pub_a sends every row of every operation").isNull();
    }

    @Test
    void aTableSentInPartFailsCoverageUnlessDeclaredAndItsRowFilteredCountsAreThenNotCompared() {
        TableInfo items = new TableInfo(new TableReading("public", "items", List.of("pub_a"), true, "default", true, 1, 1L),
                Health.HEALTHY);
        SubscriptionInfo subA = new SubscriptionInfo(new SubscriptionReading("sub_a", true, "sub_a", List.of("pub_a"), 1,
                null, null, null, null, null, null, null, null, null, null, 0, null, null), NOW, List.of(), null, null, Health.HEALTHY);
        PairInfo a = new PairInfo("sub_a", "src", "sub_a", "dst", "sub_a", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        List<ProbeReport> read = List.of(new ProbeReport("publications", 1, null), new ProbeReport("tables", 1, null));
        DatabaseSnapshot source = new DatabaseSnapshot("src", Role.SOURCE, "h", 5432, "app", true, Health.HEALTHY, null, NOW, 1,
                null, NOW, null, null, read, List.of(), List.of(), List.of(), List.of(),
                List.of(new PublicationFilter("pub_a", "public", "items", List.of(), List.of(), "(id > 0)")),
                List.of(items), List.of(), null, null, null, null);
        Snapshot snapshot = snapshot(List.of(source, database("dst", Role.TARGET, List.of(), List.of(), List.of(subA))), List.of(a));

        CutoverCheck undeclared = CutoverEvaluator.coverage(a, subA, snapshot);
        assertThat(undeclared.result()).isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(undeclared.items()).containsExactly("public.items: pub_a sends only rows where (id > 0), so the target"
                + " would not hold what the source holds (publish it whole, or declare it in monitor.cutover.partial-tables)");

        MonitorSettings.Cutover config = new MonitorSettings.Cutover(Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of("public.*"), 10_000_000, 10_000, Duration.ZERO, List.of(),
                Duration.ZERO);
        CutoverCheck declared = CutoverEvaluator.coverage(a, subA, snapshot, config::declaredPartial);
        assertThat(declared.result()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(declared.evidence()).contains("sent in part as declared: public.items (pub_a sends only rows where (id > 0);"
                + " declared by public.*)");

        Set<String> filtered = CutoverEvaluator.declaredRowFiltered(a, subA, snapshot, config);
        assertThat(filtered).containsExactly("public.items");
        DeepCheck counts = new DeepCheck("sub_a", NOW, List.of(), null,
                List.of(new DeepCheck.TableCount("public.items", 11L, 10L, null)), null, List.of(), null, null, null, null);
        assertThat(CutoverEvaluator.rowCounts(counts, null).result()).isEqualTo(CutoverCheck.Result.FAIL);
        CutoverCheck notCompared = CutoverEvaluator.rowCounts(counts, null, filtered);
        assertThat(notCompared.result()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(notCompared.items()).containsExactly("public.items: not compared, its rows sent in part as"
                + " declared (11 on the source, 10 on the target)");
        assertThat(CutoverEvaluator.declaredRowFiltered(a, subA, snapshot, new MonitorSettings.Cutover(Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of("other.*"), 10_000_000, 10_000, Duration.ZERO, List.of(),
                Duration.ZERO))).isEmpty();
    }

    static DatabaseSnapshot withFingerprint(String name, Role role, Fingerprint fingerprint) {
        return new DatabaseSnapshot(name, role, "h", 5432, "app", true, Health.HEALTHY, null, NOW, 1, null, NOW, null,
                null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null,
                fingerprint);
    }

    /** A fingerprint whose table definitions were hashed in the tick that read it. */
    static Fingerprint fingerprint(String tables, String publications, String subscriptions, String sequences, long rowChanges) {
        return new Fingerprint(tables, publications, subscriptions, sequences, rowChanges, "0,0", true);
    }

    @Test
    void aTableHashCarriedFromAnEarlierTickIsConfirmedBeforeDeepResultsHold() {
        Fingerprint source = fingerprint("t1", "p1", "s1", "q1", 500);
        Fingerprint target = fingerprint("t2", "p2", "s2", "q2", 300);
        DeepCheck deep = new DeepCheck("p", NOW.minusSeconds(60), List.of(), null, List.of(), null, List.of(), null,
                source, target, null);
        Fingerprint carried = new Fingerprint("t2", "p2", "s2", "q2", 300, "0,0", false);
        DatabaseSnapshot src = withFingerprint("src", Role.SOURCE, source);
        DatabaseSnapshot dst = withFingerprint("dst", Role.TARGET, carried);
        assertThat(CutoverEvaluator.staleness(deep, src, dst))
                .isEqualTo("the table definitions on the target were not hashed this tick (their catalog counters had"
                        + " not moved, which can be late): the next tick hashes them");
        PairInfo pair = new PairInfo("p", "src", "slot", "dst", "sub", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        Snapshot carriedNow = snapshot(List.of(src, dst), List.of(pair));
        assertThat(CutoverEvaluator.catalogsToConfirm(carriedNow, Map.of("p", deep))).containsExactly("dst", "src");
        assertThat(CutoverEvaluator.catalogsToConfirm(carriedNow, Map.of())).as("no deep result to confirm").isEmpty();
        Snapshot moved = snapshot(List.of(withFingerprint("src", Role.SOURCE, fingerprint("t1", "p1", "s1", "q1", 510)), dst),
                List.of(pair));
        assertThat(CutoverEvaluator.catalogsToConfirm(moved, Map.of("p", deep))).as("stale anyway: rows moved").isEmpty();
    }

    @Test
    void deepResultsAreStaleWhenAnythingTheyRestOnDiffersFromWhatTheDeepCheckRead() {
        Fingerprint source = fingerprint("t1", "p1", "s1", "q1", 500);
        Fingerprint target = fingerprint("t2", "p2", "s2", "q2", 300);
        DeepCheck deep = new DeepCheck("p", NOW.minusSeconds(60), List.of(), null, List.of(), null, List.of(), null,
                source, target, null);
        assertThat(CutoverEvaluator.staleness(deep, withFingerprint("src", Role.SOURCE, source),
                withFingerprint("dst", Role.TARGET, target))).as("nothing changed").isNull();
        assertThat(CutoverEvaluator.staleness(deep, withFingerprint("src", Role.SOURCE, fingerprint("t1", "p1", "s1", "q1", 507)),
                withFingerprint("dst", Role.TARGET, fingerprint("t2", "p2", "s2", "q2", 307))))
                .as("source changes the target applied alike").isNull();
        assertThat(CutoverEvaluator.staleness(deep, withFingerprint("src", Role.SOURCE, source),
                withFingerprint("dst", Role.TARGET, fingerprint("t2", "p2", "s2", "q2", 301))))
                .startsWith("1 row change(s) on the target against 0 on the source");
        assertThat(CutoverEvaluator.staleness(deep, withFingerprint("src", Role.SOURCE, fingerprint("t1*", "p1*", "s1", "q1", 500)),
                withFingerprint("dst", Role.TARGET, fingerprint("t2*", "p2", "s2*", "q2*", 300))))
                .isEqualTo("a table on the source was altered, truncated or rewritten; a table on the target was altered,"
                        + " truncated or rewritten; a publication on the source changed; the target's subscriptions or"
                        + " their tables changed (created, dropped, refreshed); a sequence moved on the target since the"
                        + " deep check of 2026-11-24T11:59:00Z: run it again (POST /api/cutover/deep-check)");
        assertThat(CutoverEvaluator.staleness(deep, withFingerprint("src", Role.SOURCE, source),
                withFingerprint("dst", Role.TARGET, null))).as("not read this tick").contains("target's catalog fingerprint was not read");
        DeepCheck blind = new DeepCheck("p", NOW, List.of(), null, List.of(), null, List.of(), null, null, target, null);
        assertThat(CutoverEvaluator.staleness(blind, withFingerprint("src", Role.SOURCE, source),
                withFingerprint("dst", Role.TARGET, target))).contains("read no catalog fingerprint");
        assertThat(CutoverEvaluator.schema(deep, "stale").result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
    }

    static DatabaseSnapshot sourceWith(ServerInfo server, SourceActivity activity) {
        return new DatabaseSnapshot("src", Role.SOURCE, "h", 5432, "app", true, Health.HEALTHY, server, NOW, 1, null, NOW,
                null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), activity,
                null, null, null);
    }

    static SourceActivity quietFor(long seconds, int writing, int prepared, int upstreamEnabled, int own) {
        return new SourceActivity(writing, 0, 0, prepared, upstreamEnabled, own, 10, true, 0, 0, NOW.minusSeconds(seconds));
    }

    @Test
    void theSourceIsQuietOnlyWhenNoWriterCanBeHiddenFromTheMonitor() {
        ServerInfo primary = new ServerInfo(150004, "15.4", false, null, "monitor", true);
        Duration period = Duration.ofSeconds(30);
        assertThat(CutoverEvaluator.sourceQuiet(sourceWith(primary, quietFor(60, 0, 0, 0, 0)), period, NOW).result())
                .isEqualTo(CutoverCheck.Result.PASS);
        assertThat(CutoverEvaluator.sourceQuiet(sourceWith(primary, quietFor(10, 0, 0, 0, 0)), period, NOW).result())
                .as("read-only by default is no evidence: rows changed 10 s ago").isEqualTo(CutoverCheck.Result.FAIL);
        CutoverCheck prepared = CutoverEvaluator.sourceQuiet(sourceWith(primary, quietFor(60, 0, 1, 0, 0)), period, NOW);
        assertThat(prepared.result()).isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(prepared.evidence()).startsWith("1 prepared transaction(s) can still COMMIT PREPARED");
        assertThat(CutoverEvaluator.sourceQuiet(sourceWith(primary, quietFor(60, 0, 0, 1, 1)), period, NOW).evidence())
                .startsWith("the source receives writes through 1 enabled subscription(s) of its own");
        CutoverCheck blind = CutoverEvaluator.sourceQuiet(sourceWith(new ServerInfo(150004, "15.4", false, null, "monitor",
                false), quietFor(60, 0, 0, 0, 0)), period, NOW);
        assertThat(blind.result()).as("other roles' sessions are invisible").isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(blind.evidence()).contains("GRANT pg_read_all_stats");
        CutoverCheck standby = CutoverEvaluator.sourceQuiet(sourceWith(new ServerInfo(150004, "15.4", true, null, "monitor",
                true), quietFor(60, 0, 0, 0, 0)), period, NOW);
        assertThat(standby.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(standby.evidence()).startsWith("the source is a standby");
        SourceActivity inProcedure = new SourceActivity(0, 1, 0, 0, 0, 0, 10, false, 0, 0, NOW.minusSeconds(600));
        CutoverCheck procedure = CutoverEvaluator.sourceQuiet(sourceWith(primary, inProcedure), period, NOW);
        assertThat(procedure.result()).as("quiet for 10 minutes, but between two COMMITs of a procedure")
                .isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(procedure.evidence()).startsWith("1 session(s) on the source running a procedure or DO block");
        SourceActivity hidden = new SourceActivity(0, 0, 1, 0, 0, 0, 10, false, 0, 0, NOW.minusSeconds(600));
        CutoverCheck unseen = CutoverEvaluator.sourceQuiet(sourceWith(primary, hidden), period, NOW);
        assertThat(unseen.result()).as("a session with track_activities off may be inside a procedure")
                .isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(unseen.evidence()).startsWith("1 session(s) on the source run with track_activities off");
    }

    @Test
    void theTargetIsQuietWhenNothingButReplicationCanStillCommitThere() {
        ServerInfo seesAll = new ServerInfo(150004, "15.4", false, null, "monitor", true);
        assertThat(CutoverEvaluator.targetQuiet(sourceWith(seesAll, quietFor(0, 0, 0, 1, 1))).result())
                .as("its own subscriptions are what it is for").isEqualTo(CutoverCheck.Result.PASS);
        CutoverCheck writing = CutoverEvaluator.targetQuiet(sourceWith(seesAll, quietFor(0, 2, 0, 1, 1)));
        assertThat(writing.result()).isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(writing.evidence()).startsWith("2 transaction(s) on the target writing now");
        assertThat(CutoverEvaluator.targetQuiet(sourceWith(seesAll, quietFor(0, 0, 1, 1, 1))).evidence())
                .startsWith("1 prepared transaction(s) on the target can still COMMIT PREPARED");
        assertThat(CutoverEvaluator.targetQuiet(sourceWith(seesAll, new SourceActivity(0, 2, 0, 0, 1, 1, 10, false, 0, 0, NOW))).evidence())
                .startsWith("2 session(s) on the target running a procedure or DO block");
        CutoverCheck unseen = CutoverEvaluator.targetQuiet(sourceWith(seesAll, new SourceActivity(0, 0, 3, 0, 1, 1, 10, false, 0, 0, NOW)));
        assertThat(unseen.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(unseen.evidence()).startsWith("3 session(s) on the target run with track_activities off");
        CutoverCheck blind = CutoverEvaluator.targetQuiet(sourceWith(new ServerInfo(150004, "15.4", false, null, "monitor",
                false), quietFor(0, 0, 0, 1, 1)));
        assertThat(blind.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(CutoverEvaluator.targetQuiet(sourceWith(seesAll, null)).result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
    }

    @Test
    void originNoneOnASubscriptionWhoseSourceIsItselfASubscriberFailsCoverage() {
        TableInfo orders = new TableInfo(new TableReading("public", "orders", List.of("pub_a"), true, "default", true, 1, 1L),
                Health.HEALTHY);
        SubscriptionInfo none = new SubscriptionInfo(new SubscriptionReading("sub_a", true, "sub_a", List.of("pub_a"), 1,
                null, null, null, null, null, null, null, null, null, null, 0, null, "none"), NOW, List.of(), null, null,
                Health.HEALTHY);
        PairInfo a = new PairInfo("sub_a", "src", "sub_a", "dst", "sub_a", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        List<ProbeReport> read = List.of(new ProbeReport("publications", 1, null), new ProbeReport("tables", 1, null));
        java.util.function.Function<SourceActivity, Snapshot> with = activity -> snapshot(List.of(
                new DatabaseSnapshot("src", Role.SOURCE, "h", 5432, "app", true, Health.HEALTHY, null, NOW, 1, null, NOW, null,
                        null, read, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(orders), List.of(), activity,
                        null, null, null),
                database("dst", Role.TARGET, List.of(), List.of(), List.of(none))), List.of(a));
        CutoverCheck cascaded = CutoverEvaluator.coverage(a, none, with.apply(quietFor(60, 0, 0, 0, 1)));
        assertThat(cascaded.result()).isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(cascaded.items()).containsExactly("sub_a: origin = none, and the source is itself a subscriber (1"
                + " subscription(s)): the changes it receives through them are never sent to the target (ALTER SUBSCRIPTION"
                + " sub_a SET (origin = any))");
        assertThat(CutoverEvaluator.coverage(a, none, with.apply(quietFor(60, 0, 0, 0, 0))).result())
                .as("a source that subscribes to nothing has no changes with an origin").isEqualTo(CutoverCheck.Result.PASS);
        assertThat(CutoverEvaluator.coverage(a, none, with.apply(null)).result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        CutoverCheck foreign = CutoverEvaluator.coverage(a, none, with.apply(
                new SourceActivity(0, 0, 0, 0, 0, 0, 10, false, 0, 2, NOW.minusSeconds(60))));
        assertThat(foreign.result()).as("changes applied under another tool's origin are not sent").isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(foreign.evidence()).contains("2 replication origin(s) of no subscription");
    }

    static SubscriptionInfo withStats(SubscriptionStats stats) {
        return new SubscriptionInfo(new SubscriptionReading("sub", true, "sub", List.of("pub"), 42, null, null, null,
                null, null, null, null, null, null, null, 0, null, null), NOW, List.of(), null, stats, Health.HEALTHY);
    }

    @Test
    void theErrorWindowStartsWhenTheCountersWereFirstReadAndSkippedChangesFailUntilAcknowledged() {
        Duration window = Duration.ofMinutes(10);
        Instant monitorStart = NOW.minus(Duration.ofHours(2));
        // Counters first read a minute ago (the subscription was created then): what they held may be a minute old.
        SubscriptionStats young = new SubscriptionStats(3, 0, null, null, 0, 0, null, null, NOW.minusSeconds(60));
        CutoverCheck early = CutoverEvaluator.noNewErrors("p", withStats(young), window, monitorStart, 0, NOW);
        assertThat(early.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(early.evidence()).contains("watched for 60 s of the 10 min 0 s window");
        SubscriptionStats watched = new SubscriptionStats(3, 0, null, null, 0, 0, null, null, NOW.minusSeconds(700));
        assertThat(CutoverEvaluator.noNewErrors("p", withStats(watched), window, monitorStart, 0, NOW).result())
                .isEqualTo(CutoverCheck.Result.PASS);

        SubscriptionStats skipped = new SubscriptionStats(0, 0, java.util.Map.of("update_missing", 1L, "insert_exists", 4L),
                null, 0, 0, 0L, null, NOW.minus(Duration.ofHours(2)));
        CutoverCheck divergent = CutoverEvaluator.noNewErrors("p", withStats(skipped), window, monitorStart, 0, NOW);
        assertThat(divergent.result()).as("however long ago").isEqualTo(CutoverCheck.Result.FAIL);
        assertThat(divergent.evidence()).startsWith("1 change(s) skipped by a conflict")
                .endsWith("POST /api/cutover/p/acknowledge-skipped-changes");
        assertThat(CutoverEvaluator.noNewErrors("p", withStats(skipped), window, monitorStart, 1, NOW).result())
                .as("acknowledged").isEqualTo(CutoverCheck.Result.PASS);
    }

    static DeepCheck withContent(TableContent... content) {
        return new DeepCheck("p", NOW, List.of(), null, List.of(), null, List.of(), null, null, null, List.of(content));
    }

    @Test
    void contentPassesOnlyWhenEveryTableWasComparedAndMatches() {
        TableContent match = new TableContent("public.a", TableContent.Result.MATCH, 10, 1, null);
        TableContent differ = new TableContent("public.b", TableContent.Result.DIFFER, 10, 1,
                "rows differ in key range (start .. end): 10 row(s) on the source, 10 on the target");
        TableContent nokey = new TableContent("public.c", TableContent.Result.UNKNOWN, 0, 0, "no primary key");
        assertThat(CutoverEvaluator.content(withContent(match), null, Set.of()).evidence())
                .isEqualTo("1 table(s), 10 row(s), equal in content");
        assertThat(CutoverEvaluator.content(withContent(match, differ, nokey), null, Set.of()).result())
                .isEqualTo(CutoverCheck.Result.FAIL);
        CutoverCheck unknown = CutoverEvaluator.content(withContent(match, nokey), null, Set.of());
        assertThat(unknown.result()).as("a table not compared is never a pass").isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(unknown.items()).containsExactly("public.c: no primary key");
        assertThat(CutoverEvaluator.content(withContent(match, nokey), null, Set.of("public.c")).result())
                .as("declared sent in part").isEqualTo(CutoverCheck.Result.PASS);
        assertThat(CutoverEvaluator.content(withContent(match), "stale", Set.of()).result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(CutoverEvaluator.content(withContent(), null, Set.of()).result()).as("did not run")
                .isEqualTo(CutoverCheck.Result.UNKNOWN);
    }

    @Test
    void aMigrationIsReadyOnlyWhenEveryPairBetweenItsDatabasesIs() {
        PairInfo a = new PairInfo("sub_a", "src", "sub_a", "dst", "sub_a", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        PairInfo b = new PairInfo("sub_b", "src", "sub_b", "dst", "sub_b", "source", 0L, 0.0, LagMethod.CAUGHT_UP, "caught up",
                null, WalSenderActivity.IDLE, null, List.of(), Health.HEALTHY);
        PairCutover ready = new PairCutover("sub_a", PairCutover.Verdict.READY, "ready", List.of(), null, List.of());
        PairCutover unknownB = new PairCutover("sub_b", PairCutover.Verdict.UNKNOWN, "unknown", List.of(), null, List.of());
        PairCutover readyB = new PairCutover("sub_b", PairCutover.Verdict.READY, "ready", List.of(), null, List.of());
        java.util.function.Function<List<PairCutover>, Snapshot> with = verdicts -> new Snapshot(1, NOW, 1, 1000,
                Status.HEALTHY, null, List.of(), List.of(a, b), verdicts, List.of(), AlertsView.NONE);
        assertThat(CutoverEvaluator.migration(with.apply(List.of(ready, unknownB)), "src", "dst").summary())
                .isEqualTo("unknown: sub_b");
        assertThat(CutoverEvaluator.migration(with.apply(List.of(ready)), "src", "dst").verdict())
                .as("a pair without a verdict").isEqualTo(PairCutover.Verdict.UNKNOWN);
        assertThat(CutoverEvaluator.migration(with.apply(List.of(ready, readyB)), "src", "dst").verdict())
                .isEqualTo(PairCutover.Verdict.READY);
        assertThat(CutoverEvaluator.migration(with.apply(List.of(ready, readyB)), "dst", "src")).isNull();
    }

    @Test
    void aTableWhoseCountsSufficeIsNotHashedAndTheVerdictNamesTheDeclaration() {
        TableContent match = new TableContent("public.a", TableContent.Result.MATCH, 10, 1, null);
        DeepCheck deep = new DeepCheck("p", NOW, List.of(), null, List.of(new DeepCheck.TableCount("public.a", 10L, 10L, null),
                new DeepCheck.TableCount("logs.events", 5_000_000L, 5_000_000L, null)), null, List.of(), null, null, null,
                List.of(match));
        MonitorSettings.Cutover config = new MonitorSettings.Cutover(Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of(), 10_000_000, 10_000, Duration.ZERO,
                List.of("logs.*"), Duration.ZERO);
        CutoverCheck content = CutoverEvaluator.content(deep, null, Set.of(), config::declaredCountsSuffice);
        assertThat(content.result()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(content.evidence()).isEqualTo("1 table(s), 10 row(s), equal in content; not compared, as declared: logs.events");
        assertThat(content.items()).containsExactly("logs.events: its count is proof enough, as declared by logs.* (monitor.cutover.counts-suffice)");
    }

    @Test
    void aTableSubscribedAfterTheDeepCheckMakesItsResultsStale() {
        io.pgrepmon.model.SubscriptionTable a = new io.pgrepmon.model.SubscriptionTable("public", "a", "r", "ready", null, null, NOW, null);
        io.pgrepmon.model.SubscriptionTable b = new io.pgrepmon.model.SubscriptionTable("public", "b", "r", "ready", null, null, NOW, null);
        SubscriptionInfo sub = new SubscriptionInfo(new SubscriptionReading("sub", true, "sub", List.of("pub"), 1, null, null,
                null, null, null, null, null, null, null, null, 0, null, null), NOW, List.of(a, b), null, null, Health.HEALTHY);
        DeepCheck deep = new DeepCheck("p", NOW, List.of(), null, List.of(new DeepCheck.TableCount("public.a", 1L, 1L, null)),
                null, List.of(), null, null, null, List.of());
        assertThat(CutoverEvaluator.uncovered(deep, sub)).startsWith("subscribed now but not in the deep check of")
                .contains("public.b");
        DeepCheck both = new DeepCheck("p", NOW, List.of(), null, List.of(new DeepCheck.TableCount("public.a", 1L, 1L, null),
                new DeepCheck.TableCount("public.b", 1L, 1L, null)), null, List.of(), null, null, null, List.of());
        assertThat(CutoverEvaluator.uncovered(both, sub)).isNull();
    }

    @Test
    void aPairWhoseTablesAnotherPairCarriesIsReadyOnlyWhileThatPairIs() {
        CutoverCheck covered = CutoverCheck.pass("publication-coverage", "every source table reaches the target",
                "3 table(s); 1 of them by another subscription between the same databases: public.logs (b)");
        CutoverCheck running = CutoverCheck.pass("subscription-running", "running", "pid 1");
        PairCutover a = CutoverEvaluator.verdict("a", List.of(covered, running), null);
        PairCutover b = CutoverEvaluator.verdict("b", List.of(running,
                CutoverCheck.fail("caught-up", "caught up", "1 MiB behind", List.of())), null);
        PairCutover c = CutoverEvaluator.verdict("c", List.of(covered, running), null);
        java.util.Map<String, Set<String>> carriers = java.util.Map.of("a", Set.of("b"), "b", Set.of(), "c", Set.of("a"));

        List<PairCutover> judged = CutoverEvaluator.carriedByReadyPairs(List.of(a, b, c), carriers, java.util.Map.of());
        assertThat(judged.get(0).verdict()).isEqualTo(PairCutover.Verdict.UNKNOWN);
        assertThat(judged.get(0).checks().get(0).evidence()).startsWith("some of the source's tables reach the target"
                + " only through b, not ready or unknown itself");
        assertThat(judged.get(2).verdict()).as("c rests on a, which rests on b").isEqualTo(PairCutover.Verdict.UNKNOWN);

        PairCutover bReady = CutoverEvaluator.verdict("b", List.of(running), null);
        assertThat(CutoverEvaluator.carriedByReadyPairs(List.of(a, bReady, c), carriers, java.util.Map.of()))
                .extracting(PairCutover::verdict).containsOnly(PairCutover.Verdict.READY);
    }
}

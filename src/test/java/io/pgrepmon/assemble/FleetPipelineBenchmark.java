package io.pgrepmon.assemble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.judge.cutover.CutoverEvaluator;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.WalSenderReading;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.probe.SubscriptionStatsRow;
import io.pgrepmon.probe.SubscriptionTableRow;
import io.pgrepmon.serve.metrics.MetricFamilies;
import io.pgrepmon.serve.metrics.SnapshotMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The in-process hot paths of a tick, per fleet size: assembling the snapshot from the readings (pairing, lag,
 * health), the cutover evaluation of every pair, serializing the snapshot whole and one pair's part, and a scrape
 * of its metrics. Run by
 * scripts/bench-jmh.sh (see docs/benchmarks.md), never by the tests. Each pair is a source with a slot, a sender, a
 * publication and five tables, and a target with its subscription, the five tables ready and its counters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FleetPipelineBenchmark {

    /** Monitored databases: half sources, half targets. */
    @Param({"10", "100", "500"})
    public int databases;

    private static final int TABLES = 5;
    private final Instant start = Instant.parse("2026-12-01T12:00:00Z");
    private final ObjectMapper mapper = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final MonitorSettings.Cutover cutover = new MonitorSettings.Cutover(Duration.ofMinutes(10), Duration.ofSeconds(30),
            Duration.ZERO, Duration.ofSeconds(60), 1_000_000, 500, List.of(), 10_000_000, 10_000, Duration.ZERO, List.of(),
            Duration.ZERO);
    private SnapshotAssembler assembler;
    private List<DatabaseReading> readings;
    private Snapshot snapshot;
    private String pair;
    private long tick;

    @Setup
    public void setUp() {
        assembler = new SnapshotAssembler(Thresholds.UNIT, Duration.ofSeconds(5), List.of(), start.minusSeconds(60));
        readings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= databases / 2; i++) {
            String name = "sub_%03d".formatted(i);
            names.add(name);
            readings.addAll(pair(i, name, start));
        }
        pair = names.get(names.size() / 2);
        snapshot = assembler.assemble(readings, start, 40);
        snapshot = snapshot.withCutover(CutoverEvaluator.evaluate(snapshot, Map.of(), cutover, start.minusSeconds(60), start));
    }

    private List<DatabaseReading> pair(int i, String name, Instant at) {
        DatabaseSettings source = Fixtures.settings("s%03d".formatted(i), Role.SOURCE);
        DatabaseSettings target = Fixtures.settings("d%03d".formatted(i), Role.TARGET, source.name());
        List<TableReading> tables = new ArrayList<>();
        List<SubscriptionTableRow> copied = new ArrayList<>();
        List<String> tableNames = new ArrayList<>();
        for (int t = 1; t <= TABLES; t++) {
            String table = "items_" + t;
            tableNames.add("public." + table);
            tables.add(Fixtures.table(table, List.of("pub"), true, 8192L * t));
            copied.add(Fixtures.subTable(name, table, "r", null));
        }
        long position = 0x1_0000_0000L + i * 4096L;
        WalSenderReading sender = new WalSenderReading(1000 + i, name, name, "streaming", new Lsn(position), new Lsn(position),
                new Lsn(position), new Lsn(position), 2L, 3L, 4L, at, 0L);
        SubscriptionReading sub = new SubscriptionReading(name, true, name, List.of("pub"), 2000 + i, new Lsn(position),
                new Lsn(position), at, at, at, 20L, 10L, "off", "d", false, 0, null, "any");
        return List.of(
                Fixtures.source(source, at, List.of(Fixtures.slotAt(name, 128, position)), List.of(sender),
                        List.of(new io.pgrepmon.model.PublicationInfo("pub", false, true, true, true, true, TABLES, tableNames)), tables),
                Fixtures.target(target, at, List.of(sub), copied,
                        List.of(new SubscriptionStatsRow(name, 0, 0, Map.of(), null))));
    }

    /** Pairing, lag and health of every database, slot, subscription and pair: the tick's assembly. */
    @Benchmark
    public Snapshot assemble() {
        tick++;
        return assembler.assemble(readings, start.plusSeconds(5 * tick), 40);
    }

    /** Every pair's cutover verdict (no deep checks: the per-tick checks only). */
    @Benchmark
    public List<PairCutover> evaluateCutover() {
        return CutoverEvaluator.evaluate(snapshot, Map.of(), cutover, start.minusSeconds(60), start.plusSeconds(5));
    }

    /** The snapshot's JSON, once per tick for every client and /api/snapshot. */
    @Benchmark
    public String serializeWhole() throws Exception {
        return mapper.writeValueAsString(snapshot);
    }

    /** One pair's part and its JSON, once per snapshot for all the clients of that pair. */
    @Benchmark
    public String serializePair() throws Exception {
        return mapper.writeValueAsString(snapshot.forPair(pair));
    }

    /** A scrape of /q/metrics: the snapshot's series built and written in the Prometheus text format. */
    @Benchmark
    public String scrapeMetrics() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        io.prometheus.client.exporter.common.TextFormat.write004(text,
                java.util.Collections.enumeration(SnapshotMetrics.families(MetricFamilies.of(snapshot, false, Map.of()))));
        return text.toString();
    }

    /** The snapshot of a fleet of this many databases, judged by the per-tick cutover checks, as the benchmarks see it. */
    public static Snapshot fleet(int databases) {
        FleetPipelineBenchmark bench = new FleetPipelineBenchmark();
        bench.databases = databases;
        bench.setUp();
        return bench.snapshot;
    }
}

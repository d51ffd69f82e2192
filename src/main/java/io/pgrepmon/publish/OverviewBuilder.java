package io.pgrepmon.publish;

import io.pgrepmon.judge.history.History;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.Overview;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Trend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the {@link Overview} of a snapshot: a line per pair and per database, with each pair's lag sparkline. */
public final class OverviewBuilder {

    /** The sparkline's span and resolution: enough to see a trend, small enough for 500 pairs on every update. */
    static final Duration SPARK_WINDOW = Duration.ofMinutes(15);
    static final int SPARK_STEPS = 30;

    private OverviewBuilder() {
    }

    /** @param history where the sparklines come from; null for none */
    public static Overview build(Snapshot s, History history) {
        Map<String, PairCutover> verdicts = s.cutover().stream().collect(Collectors.toMap(PairCutover::pair, Function.identity(), (a, b) -> a));
        Map<String, Trend> trends = s.trends().stream().filter(t -> "lag".equals(t.kind()))
                .collect(Collectors.toMap(Trend::subject, Function.identity(), (a, b) -> a));
        long now = s.takenAt().toEpochMilli();
        List<Overview.PairRow> pairs = s.pairs().stream()
                .map(p -> pair(p, verdicts.get(p.name()), trends.get(p.name()),
                        history == null ? null : history.stepMaxima("pair/" + p.name() + "/lag-bytes", SPARK_WINDOW, SPARK_STEPS, now)))
                .toList();
        List<Overview.DatabaseRow> databases = s.databases().stream().map(OverviewBuilder::database).toList();
        List<String> atRisk = new ArrayList<>();
        int slots = 0;
        for (DatabaseSnapshot db : s.databases()) {
            slots += db.slots().size();
            db.slots().stream().filter(x -> x.health().status() != Status.HEALTHY)
                    .sorted(Comparator.comparing((io.pgrepmon.model.SlotInfo x) -> x.health().status()).reversed())
                    .forEach(x -> atRisk.add(db.name() + "/" + x.reading().name()));
        }
        return new Overview(s.sequence(), s.takenAt(), s.tookMillis(), s.intervalMillis(), s.status(), s.summary(), pairs,
                databases, slots, atRisk, SPARK_WINDOW.toSeconds(), new Overview.Alerts(s.alerts().active(), s.alerts().recent().size(), s.alerts().notifiers()));
    }

    static Overview.PairRow pair(PairInfo p, PairCutover cut, Trend trend, double[] lag) {
        int passed = cut == null ? 0 : (int) cut.checks().stream().filter(c -> c.result() == CutoverCheck.Result.PASS).count();
        Long peak = null;
        List<Integer> spark = null;
        if (lag != null) {
            double max = 0;
            boolean any = false;
            for (double v : lag) {
                if (!Double.isNaN(v)) {
                    any = true;
                    max = Math.max(max, v);
                }
            }
            if (any) {
                peak = Math.round(max);
                double scale = max > 0 ? 100 / max : 0;
                spark = new ArrayList<>(lag.length);
                for (double v : lag) {
                    spark.add(Double.isNaN(v) ? null : (int) Math.round(v * scale));
                }
            }
        }
        return new Overview.PairRow(p.name(), p.sourceDatabase(), p.slotName(), p.targetDatabase(), p.subscription(),
                p.health().status(), first(p.health()), p.health().reasons().size(), cut == null ? null : cut.verdict(), passed,
                cut == null ? 0 : cut.checks().size(), p.lagBytes(), p.lagSeconds(), p.lagMethod(),
                trend == null ? null : trend.direction(), trend == null ? null : trend.etaSeconds(), p.tableStates(),
                p.missingTables().size(), peak, spark);
    }

    static Overview.DatabaseRow database(DatabaseSnapshot d) {
        return new Overview.DatabaseRow(d.name(), d.role(), d.host(), d.port(), d.dbname(), d.reachable(),
                d.reachable() ? d.health().status() : Status.DOWN, d.reachable() ? first(d.health()) : d.error(),
                d.reachable() ? d.health().reasons().size() : 1, d.server() == null ? null : d.server().version(),
                d.server() != null && d.server().inRecovery(), d.lastSuccessAt());
    }

    private static String first(Health health) {
        return health.reasons().isEmpty() ? null : health.reasons().get(0);
    }
}

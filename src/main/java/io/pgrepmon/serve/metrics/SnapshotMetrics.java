package io.pgrepmon.serve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.pgrepmon.config.Settings;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.publish.SnapshotHub;
import io.pgrepmon.serve.metrics.MetricFamilies.Kind;
import io.pgrepmon.serve.metrics.MetricFamilies.Sample;
import io.pgrepmon.serve.web.SnapshotFanout;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /q/metrics}: the latest published snapshot as Prometheus series, built when scraped (so every series of
 * one scrape comes from the same snapshot, and a tick costs nothing for them), plus the monitor's own meters
 * (tick durations, late and skipped ticks, WebSocket clients), kept as each snapshot is published.
 */
@ApplicationScoped
public class SnapshotMetrics extends Collector {

    private final SnapshotHub hub;
    private final SnapshotFanout fanout;
    private final PrometheusMeterRegistry prometheus;
    private final boolean perTable;
    private final Map<String, Long> probeFailures = new ConcurrentHashMap<>();
    private final Timer tickDuration;
    private final Counter ticksLate;
    private final Counter ticksSkipped;
    private Instant lastTakenAt;

    public SnapshotMetrics(SnapshotHub hub, SnapshotFanout fanout, MeterRegistry registry, PrometheusMeterRegistry prometheus,
                           Settings settings) {
        this.hub = hub;
        this.fanout = fanout;
        this.prometheus = prometheus;
        this.perTable = settings.get().metrics().perTable();
        this.tickDuration = Timer.builder("pgrepmon.tick.duration")
                .description("How long each tick took to read every database.")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
        this.ticksLate = Counter.builder("pgrepmon.ticks.late")
                .description("Ticks that began more than 10 % later than one interval after the one before (the previous"
                        + " one overran).").register(registry);
        this.ticksSkipped = Counter.builder("pgrepmon.ticks.skipped")
                .description("Whole intervals in which no tick began, because the tick before was still running.")
                .register(registry);
        Gauge.builder("pgrepmon.websocket.clients", fanout, SnapshotFanout::clientCount)
                .description("WebSocket clients connected to /api/ws.").register(registry);
    }

    void start(@Observes StartupEvent event) {
        prometheus.getPrometheusRegistry().register(this);
        hub.updates().subscribe().with(published -> observe(published.snapshot()));
    }

    /** What accumulates over snapshots: the probe failures per database, the tick durations and lateness. */
    synchronized void observe(Snapshot snapshot) {
        MetricFamilies.probeFailures(snapshot).forEach((db, failed) -> probeFailures.merge(db, failed, Long::sum));
        tickDuration.record(Duration.ofMillis(snapshot.tookMillis()));
        if (lastTakenAt != null && snapshot.intervalMillis() > 0) {
            long gap = Duration.between(lastTakenAt, snapshot.takenAt()).toMillis();
            if (gap > snapshot.intervalMillis() * 11 / 10) {
                ticksLate.increment();
            }
            long skipped = gap / snapshot.intervalMillis() - 1;
            if (skipped > 0) {
                ticksSkipped.increment(skipped);
            }
        }
        lastTakenAt = snapshot.takenAt();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return hub.latest().map(p -> families(MetricFamilies.of(p.snapshot(), perTable, Map.copyOf(probeFailures))))
                .orElseGet(List::of);
    }

    /** The samples as Prometheus families, one per series, in the order first met. */
    public static List<MetricFamilySamples> families(List<Sample> samples) {
        Map<MetricFamilies.Series, List<Sample>> bySeries = new LinkedHashMap<>();
        for (Sample sample : samples) {
            bySeries.computeIfAbsent(sample.series(), n -> new ArrayList<>()).add(sample);
        }
        List<MetricFamilySamples> families = new ArrayList<>(bySeries.size());
        for (Map.Entry<MetricFamilies.Series, List<Sample>> entry : bySeries.entrySet()) {
            MetricFamilies.Series series = entry.getKey();
            List<Sample> family = entry.getValue();
            List<String> names = List.copyOf(family.get(0).labels().keySet());
            if (series.kind == Kind.COUNTER) {
                CounterMetricFamily counter = new CounterMetricFamily(series.prometheusName, series.help, names);
                family.forEach(s -> counter.addMetric(values(s, names), s.value()));
                families.add(counter);
            } else {
                GaugeMetricFamily gauge = new GaugeMetricFamily(series.prometheusName, series.help, names);
                family.forEach(s -> gauge.addMetric(values(s, names), s.value()));
                families.add(gauge);
            }
        }
        return families;
    }

    /** A sample's label values in its family's label order (every sample of a family has the same labels). */
    private static List<String> values(Sample sample, List<String> names) {
        return names.stream().map(sample.labels()::get).toList();
    }
}

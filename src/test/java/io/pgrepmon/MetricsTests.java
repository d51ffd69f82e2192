package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.Promtool;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.Scrape;
import io.pgrepmon.harness.Snapshots;
import io.pgrepmon.serve.metrics.MetricFamilies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.pgrepmon.harness.ReplicationPair.SUBSCRIPTION;
import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.pair;
import static io.pgrepmon.harness.Snapshots.slot;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /q/metrics} against a real pair: each figure equals the snapshot's of the same tick, a disabled
 * subscription and a stopped database move the right series, promtool lints the scrape, and the shipped dashboard
 * and alert rules name only series that exist.
 */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
@TestProfile(MetricsTests.PerTable.class)
class MetricsTests {

    /** Per-table series on, so that they are scraped and linted too. */
    public static class PerTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monitor.metrics.per-table", "true");
        }
    }

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Map<String, String> PAIR = Map.of("pair", SUBSCRIPTION);

    @InjectReplicationPair
    ReplicationPair pair;

    @BeforeEach
    void caughtUp() {
        await().atMost(SETTLE).until(() -> {
            JsonNode p = pair(Snapshots.latest(), SUBSCRIPTION);
            return "healthy".equals(p.get("health").get("status").asText()) && p.get("lagBytes").asLong() == 0;
        });
    }

    static Scrape scrape() {
        return Scrape.of(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** A scrape and the snapshot of the same tick (the hub may publish between the two requests: read again). */
    record Tick(Scrape scrape, JsonNode snapshot) {
    }

    static Tick sameTick() {
        AtomicReference<Tick> tick = new AtomicReference<>();
        await().atMost(SETTLE).until(() -> {
            Scrape scrape = scrape();
            JsonNode snapshot = Snapshots.latest();
            boolean same = scrape.get("pgrepmon_snapshot_sequence", Map.of()) == snapshot.get("sequence").asLong();
            tick.set(new Tick(scrape, snapshot));
            return same;
        });
        return tick.get();
    }

    @Test
    void eachFigureEqualsTheSnapshotsOfTheSameTick() {
        pair.insertRows(500, 200);
        pair.setSubscriptionEnabled(false);
        pair.insertRows(300, 200);
        try {
            // While the pair is behind, so that lag is not only zeros.
            await().atMost(SETTLE).until(() -> pair(Snapshots.latest(), SUBSCRIPTION).get("lagBytes").asLong() > 0);
            Tick tick = sameTick();
            Scrape m = tick.scrape();
            JsonNode s = tick.snapshot();
            JsonNode p = pair(s, SUBSCRIPTION);
            assertThat(m.get("pgrepmon_pair_lag_bytes", PAIR)).isEqualTo(p.get("lagBytes").asDouble()).isPositive();
            assertThat(m.get("pgrepmon_pair_status", Map.of("pair", SUBSCRIPTION, "state", p.get("health").get("status").asText())))
                    .isEqualTo(1.0);
            p.get("tableStates").fields().forEachRemaining(state -> assertThat(m.get("pgrepmon_pair_tables",
                    Map.of("pair", SUBSCRIPTION, "state", MetricFamilies.TABLE_STATES.get(state.getKey())))).isEqualTo(state.getValue().asDouble()));
            assertThat(m.get("pgrepmon_pair_tables", Map.of("pair", SUBSCRIPTION, "state", "ready"))).isPositive();
            JsonNode slot = slot(s, "source", SUBSCRIPTION);
            Map<String, String> slotLabels = Map.of("database", "source", "slot", SUBSCRIPTION);
            assertThat(m.get("pgrepmon_slot_active", slotLabels)).isEqualTo(slot.get("active").asBoolean() ? 1.0 : 0.0);
            assertThat(m.get("pgrepmon_slot_retained_wal_bytes", slotLabels)).isEqualTo(slot.get("retainedBytes").asDouble());
            assertThat(m.get("pgrepmon_slot_wal_status", Map.of("database", "source", "slot", SUBSCRIPTION,
                    "state", slot.get("walStatus").asText()))).isEqualTo(1.0);
            // Present exactly while the slot is inactive (the worker of a disabled subscription may still be leaving).
            assertThat(m.value("pgrepmon_slot_inactive_since_timestamp_seconds", slotLabels).isPresent())
                    .isEqualTo(!slot.get("active").asBoolean());
            JsonNode verdict = java.util.stream.StreamSupport.stream(s.get("cutover").spliterator(), false)
                    .filter(v -> v.get("pair").asText().equals(SUBSCRIPTION)).findFirst()
                    .orElseThrow(() -> new AssertionError("no verdict for " + SUBSCRIPTION));
            assertThat(m.get("pgrepmon_pair_cutover_ready", PAIR)).isEqualTo("ready".equals(verdict.get("verdict").asText()) ? 1.0 : 0.0);
            assertThat(verdict.get("checks").size()).isPositive();
            verdict.get("checks").forEach(check -> assertThat(m.get("pgrepmon_pair_cutover_check", Map.of("pair", SUBSCRIPTION,
                    "check", check.get("id").asText(), "result", check.get("result").asText()))).isEqualTo(1.0));
            for (String db : new String[]{"source", "target"}) {
                JsonNode d = database(s, db);
                Map<String, String> labels = Map.of("database", db);
                assertThat(m.get("pgrepmon_database_up", labels)).isEqualTo(1.0);
                assertThat(m.get("pgrepmon_database_server_version", labels)).isEqualTo(d.get("server").get("versionNum").asDouble());
                assertThat(m.get("pgrepmon_database_poll_duration_seconds", labels)).isEqualTo(d.get("pollMillis").asLong() / 1000.0);
            }
            assertThat(m.all("pgrepmon_table_sync_state", Map.of("subscription", SUBSCRIPTION, "state", "ready")))
                    .as("per-table series, enabled in this profile").isNotEmpty().allSatisfy(t -> assertThat(t.value()).isEqualTo(1.0));
        } finally {
            pair.setSubscriptionEnabled(true);
        }
    }

    @Test
    void aDisabledSubscriptionMovesItsSeries() {
        Map<String, String> sub = Map.of("database", "target", "subscription", SUBSCRIPTION);
        assertThat(scrape().get("pgrepmon_subscription_enabled", sub)).isEqualTo(1.0);
        pair.setSubscriptionEnabled(false);
        try {
            await().atMost(SETTLE).untilAsserted(() -> {
                Scrape m = scrape();
                assertThat(m.get("pgrepmon_subscription_enabled", sub)).isZero();
                assertThat(m.get("pgrepmon_subscription_worker_running", sub)).isZero();
                assertThat(m.get("pgrepmon_subscription_status", Map.of("database", "target", "subscription", SUBSCRIPTION,
                        "state", "warning"))).isEqualTo(1.0);
            });
        } finally {
            pair.setSubscriptionEnabled(true);
        }
        await().atMost(SETTLE).untilAsserted(() -> {
            Scrape m = scrape();
            assertThat(m.get("pgrepmon_subscription_enabled", sub)).isEqualTo(1.0);
            assertThat(m.get("pgrepmon_subscription_worker_running", sub)).isEqualTo(1.0);
        });
    }

    @Test
    void aStoppedDatabaseSetsItsUpSeriesToZero() {
        pair.target().stopServer("fast");
        try {
            await().atMost(SETTLE).untilAsserted(() -> {
                Scrape m = scrape();
                assertThat(m.get("pgrepmon_database_up", Map.of("database", "target"))).isZero();
                assertThat(m.get("pgrepmon_database_status", Map.of("database", "target", "state", "down"))).isEqualTo(1.0);
                assertThat(m.get("pgrepmon_database_up", Map.of("database", "source"))).isEqualTo(1.0);
                assertThat(m.get("pgrepmon_database_probe_failures_total", Map.of("database", "target")))
                        .as("a database down fails no probe: it answers none").isZero();
            });
        } finally {
            pair.target().startServer();
        }
        await().atMost(SETTLE).untilAsserted(() -> assertThat(scrape().get("pgrepmon_database_up", Map.of("database", "target")))
                .isEqualTo(1.0));
    }

    @Test
    void promtoolLintsTheScrape() throws Exception {
        Scrape m = sameTick().scrape();
        assertThat(m.families()).contains("pgrepmon_tick_duration_seconds", "pgrepmon_ticks_skipped", "pgrepmon_websocket_clients");
        // Our families. Micrometer's own process_cpu_usage has a HELP text with an escaped quote, which promtool's
        // strict parser refuses (Prometheus's scraper reads it); the whole scrape parsed above, in Scrape.of.
        // The client names a counter's HELP and TYPE without _total and its sample with it, as OpenMetrics does;
        // promtool 2.42 reads the sample as a family of its own, so the lint sees the names the samples carry.
        Set<String> counters = m.text().lines().filter(l -> l.startsWith("# TYPE pgrepmon_") && l.endsWith(" counter"))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
        String ours = m.text().lines().filter(l -> l.matches("(# (HELP|TYPE) )?pgrepmon_.*"))
                .map(l -> {
                    String[] words = l.split(" ", 4);
                    return l.startsWith("# ") && counters.contains(words[2]) ? "# " + words[1] + " " + words[2] + "_total "
                            + words[3] : l;
                })
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(ours.lines().count()).isGreaterThan(100);
        Promtool.Result lint = Promtool.run(ours, "check", "metrics");
        Matcher line = Pattern.compile("line (\\d+)").matcher(lint.output());
        String at = line.find() ? ours.split("\n")[Integer.parseInt(line.group(1)) - 1] : "";
        assertThat(lint.exit()).as(lint.output() + at).isZero();
    }

    /** Every pgrepmon_ series the dashboard and the alert rules use is one the monitor produces. */
    @Test
    void theDashboardAndTheRulesNameOnlySeriesThatExist() throws IOException {
        Set<String> exist = new TreeSet<>(Arrays.stream(MetricFamilies.Series.values()).map(s -> s.prometheusName).toList());
        // The monitor's own meters (Micrometer) are in the scrape.
        scrape().families().stream().filter(f -> f.startsWith("pgrepmon_")).forEach(exist::add);
        Set<String> used = new TreeSet<>();
        for (Path file : new Path[]{Path.of("deploy/grafana/pgrepmon-dashboard.json"), Path.of("deploy/prometheus/pgrepmon-alerts.yaml")}) {
            Matcher names = Pattern.compile("pgrepmon_[a-z_]+").matcher(Files.readString(file));
            while (names.find()) {
                used.add(names.group().replaceAll("_(total|bucket|count|sum)$", ""));
            }
        }
        used.remove("pgrepmon_fleet"); // the dashboard's uid
        assertThat(used).isNotEmpty();
        assertThat(exist).containsAll(used);
        // And every series is described in the docs.
        String docs = Files.readString(Path.of("docs/operations.md"));
        assertThat(exist.stream().filter(name -> !docs.contains("`" + name)).collect(Collectors.toList()))
                .as("series missing from docs/operations.md").isEmpty();
    }
}

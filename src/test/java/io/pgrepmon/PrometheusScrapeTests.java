package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.Snapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.pgrepmon.harness.ReplicationPair.SUBSCRIPTION;
import static io.pgrepmon.harness.Snapshots.pair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's, .ci/run installs it) scraping the monitor every second with the shipped alert rules
 * loaded: it holds the numbers the page shows, every rule evaluates without error, and every query of the shipped
 * Grafana dashboard is valid PromQL, the panels of a healthy pair returning data.
 */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
class PrometheusScrapeTests {

    @TestHTTPResource("/")
    URI monitor;

    private static Process prometheus;
    private static URI api;
    private static Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("pgrepmon-prometheus");
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private synchronized void startPrometheus() throws IOException {
        if (prometheus != null) {
            return;
        }
        int port = PgCluster.freePort();
        Path rules = Path.of("deploy/prometheus/pgrepmon-alerts.yaml").toAbsolutePath();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: pgrepmon
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["%s:%d"]
                """.formatted(rules, monitor.getHost(), monitor.getPort()));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Snapshots.parse(answer.body());
    }

    private JsonNode query(String promql) throws IOException, InterruptedException {
        return get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private double value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("data").path("result");
        assertThat(result.size()).as(promql).isEqualTo(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Prometheus has scraped the monitor for a while (rates need a few samples), the pair caught up throughout. */
    private void scraped() throws IOException {
        startPrometheus();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode up = query("count_over_time(up{job=\"pgrepmon\"}[1m]) >= 5 and up{job=\"pgrepmon\"} == 1");
            assertThat(up.path("data").path("result").size()).as(up.toString() + " " + Files.readString(dir.resolve("prometheus.log")))
                    .isEqualTo(1);
        });
    }

    @Test
    void prometheusHoldsWhatThePageShows() throws Exception {
        scraped();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode snapshot = Snapshots.latest();
            JsonNode p = pair(snapshot, SUBSCRIPTION);
            assertThat(value("pgrepmon_pair_lag_bytes{pair=\"" + SUBSCRIPTION + "\"}")).isEqualTo(p.get("lagBytes").asDouble());
            assertThat(value("pgrepmon_pair_tables{pair=\"" + SUBSCRIPTION + "\",state=\"ready\"}"))
                    .isEqualTo(p.get("tableStates").path("r").asDouble()).isPositive();
            assertThat(value("sum(pgrepmon_database_up)")).isEqualTo(snapshot.get("summary").get("databases").asDouble());
            assertThat(value("pgrepmon_slot_active{slot=\"" + SUBSCRIPTION + "\"}")).isEqualTo(1.0);
            assertThat(value("pgrepmon_database_server_version{database=\"source\"}"))
                    .isEqualTo(Snapshots.database(snapshot, "source").get("server").get("versionNum").asDouble());
        });
    }

    @Test
    void everyShippedRuleEvaluates() throws Exception {
        scraped();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> rules = new ArrayList<>();
            for (JsonNode group : get("rules").path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    assertThat(rule.path("health").asText()).as(rule.toString()).isEqualTo("ok");
                    rules.add(rule.path("name").asText());
                }
            }
            assertThat(rules).hasSizeGreaterThanOrEqualTo(15).contains("PgrepmonDatabaseDown", "PgrepmonTableSyncStuck");
        });
        // A healthy pair fires nothing.
        JsonNode alerts = get("alerts").path("data").path("alerts");
        assertThat(alerts.toString()).doesNotContain("\"state\":\"firing\"");
    }

    @Test
    void everyDashboardQueryIsValidAndAHealthyPairFillsItsPanels() throws Exception {
        scraped();
        JsonNode dashboard = Snapshots.parse(Files.readString(Path.of("deploy/grafana/pgrepmon-dashboard.json")));
        Map<String, Integer> results = new TreeMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$pair", ".*");
                JsonNode answer = query(expr);
                assertThat(answer.path("status").asText()).as(panel.path("title").asText() + ": " + expr + " -> " + answer)
                        .isEqualTo("success");
                results.merge(panel.path("title").asText(), answer.path("data").path("result").size(), Integer::sum);
            }
        }
        assertThat(results).hasSizeGreaterThanOrEqualTo(15);
        for (String panel : List.of("Databases up", "Pairs", "Pairs ready for cutover", "Worst lag", "Lag (bytes)",
                "Tables by sync state", "Retained WAL", "Cutover checklist", "Tick duration", "Clients and webhooks")) {
            assertThat(results.get(panel)).as("series of panel " + panel + " in " + results).isPositive();
        }
    }
}

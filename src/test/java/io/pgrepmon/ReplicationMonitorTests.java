package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.SocketClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static io.pgrepmon.harness.ReplicationPair.SUBSCRIPTION;
import static io.pgrepmon.harness.ReplicationPairResource.INTERVAL_MILLIS;
import static io.pgrepmon.harness.ReplicationPairResource.LAG_BYTES;
import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static io.pgrepmon.harness.Snapshots.pair;
import static io.pgrepmon.harness.Snapshots.reasons;
import static io.pgrepmon.harness.Snapshots.slot;
import static io.pgrepmon.harness.Snapshots.status;
import static io.pgrepmon.harness.Snapshots.subscription;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The monitor against a real source and target with logical replication between them: what the REST snapshot
 * and a WebSocket client report in steady state, while a subscription is disabled, and while a database is down.
 * Each scenario leaves the pair healthy again for the next.
 */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationMonitorTests {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @InjectReplicationPair
    ReplicationPair pair;

    @TestHTTPResource("/api/ws")
    URI socket;

    @BeforeEach
    void pairIsHealthy() {
        awaitHealthyAndCaughtUp();
    }

    @Test
    @Order(1)
    void steadyStateShowsTheActivePairCaughtUp() {
        JsonNode snapshot = latest();
        assertThat(snapshot.get("status").asText()).isEqualTo("healthy");
        assertThat(snapshot.get("summary").get("databases").asInt()).isEqualTo(2);
        assertThat(snapshot.get("summary").get("down").asInt()).isZero();

        JsonNode source = database(snapshot, "source");
        assertThat(source.get("reachable").asBoolean()).isTrue();
        assertThat(source.get("server").get("versionNum").asInt()).isGreaterThanOrEqualTo(130000);
        assertThat(source.get("server").get("inRecovery").asBoolean()).isFalse();
        assertThat(source.get("server").get("currentLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(source.get("lastSuccessAt").isNull()).isFalse();
        assertThat(source.get("probes").toString()).contains("slots", "publications");

        JsonNode slot = slot(snapshot, "source", SUBSCRIPTION);
        assertThat(slot.get("plugin").asText()).isEqualTo("pgoutput");
        assertThat(slot.get("database").asText()).isEqualTo(ReplicationPair.DATABASE);
        assertThat(slot.get("active").asBoolean()).isTrue();
        assertThat(slot.get("activePid").asInt()).isPositive();
        assertThat(slot.get("walStatus").asText()).isIn("reserved", "extended");
        assertThat(slot.get("lagBytes").asLong()).isZero();

        JsonNode publication = database(snapshot, "source").get("publications").get(0);
        assertThat(publication.get("name").asText()).isEqualTo(ReplicationPair.PUBLICATION);
        assertThat(publication.get("tableCount").asLong()).isEqualTo(1);
        assertThat(publication.get("insert").asBoolean()).isTrue();

        JsonNode sub = subscription(snapshot, "target", SUBSCRIPTION);
        assertThat(sub.get("enabled").asBoolean()).isTrue();
        assertThat(sub.get("workerPid").asInt()).isPositive();
        assertThat(sub.get("slotName").asText()).isEqualTo(SUBSCRIPTION);
        assertThat(sub.get("publications").toString()).contains(ReplicationPair.PUBLICATION);
        assertThat(sub.get("receivedLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(sub.get("lastMsgReceiptTime").isNull()).isFalse();

        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'monitored-databases' }.data.source", equalTo("healthy"))
                .body("checks.find { it.name == 'monitored-databases' }.data.target", equalTo("healthy"));

        JsonNode p = pair(snapshot, SUBSCRIPTION);
        assertThat(p.get("sourceDatabase").asText()).isEqualTo("source");
        assertThat(p.get("targetDatabase").asText()).isEqualTo("target");
        assertThat(p.get("lagBytes").asLong()).isZero();
        assertThat(status(p)).isEqualTo("healthy");
    }

    /**
     * The catalog probes are read again when the catalog changes, not every tick: their answer and its time stand
     * while nothing changes, and a table created on the source shows within a few ticks.
     */
    @Test
    @Order(2)
    void catalogIsReadAgainWhenItChangesAndOnlyThen() throws InterruptedException {
        String readAt = database(latest(), "source").get("catalogReadAt").asText();
        assertThat(readAt).isNotEqualTo("null");
        long sequence = latest().get("sequence").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> latest().get("sequence").asLong() >= sequence + 3);
        JsonNode later = database(latest(), "source");
        assertThat(later.get("catalogReadAt").asText()).as("three ticks on, nothing changed").isEqualTo(readAt);
        assertThat(later.get("probes").toString()).contains("\"probe\":\"tables\"", "\"probe\":\"publications\"");
        try {
            pair.source().execute(ReplicationPair.DATABASE, "CREATE TABLE catalog_witness (id int PRIMARY KEY)");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode source = database(latest(), "source");
                assertThat(source.get("tables").toString()).contains("\"name\":\"catalog_witness\"");
                assertThat(Instant.parse(source.get("catalogReadAt").asText())).isAfter(Instant.parse(readAt));
            });
        } finally {
            pair.source().execute(ReplicationPair.DATABASE, "DROP TABLE IF EXISTS catalog_witness");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(database(latest(), "source").get("tables").toString()).doesNotContain("catalog_witness"));
    }

    /** A page about one pair asks for that pair's part only, over REST and over the WebSocket. */
    @Test
    @Order(2)
    void aClientOfOnePairReceivesOnlyThatPairsPart() {
        JsonNode part = io.pgrepmon.harness.Snapshots.parse(given().queryParam("pair", SUBSCRIPTION).get("/api/snapshot")
                .then().statusCode(200).extract().asString());
        assertThat(part.get("pairs")).hasSize(1);
        assertThat(pair(part, SUBSCRIPTION).get("lagBytes").asLong()).isZero();
        assertThat(names(part.get("databases"), "name")).containsExactlyInAnyOrder("source", "target");
        assertThat(names(part.get("cutover"), "pair")).containsExactly(SUBSCRIPTION);
        assertThat(part.get("summary").get("databases").asInt()).as("the fleet's summary stays whole").isEqualTo(2);
        given().queryParam("pair", "no_such_pair").get("/api/snapshot").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.containsString("no pair named 'no_such_pair'"));
        try (SocketClient client = new SocketClient(URI.create(socket + "?pair=" + SUBSCRIPTION));
             SocketClient other = new SocketClient(URI.create(socket + "?pair=no_such_pair"))) {
            JsonNode first = client.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            JsonNode next = client.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            assertThat(next.get("sequence").asLong()).isGreaterThan(first.get("sequence").asLong());
            assertThat(names(next.get("pairs"), "name")).containsExactly(SUBSCRIPTION);
            assertThat(next.get("databases")).hasSize(2);
            JsonNode none = other.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            assertThat(none.get("pairs")).isEmpty();
            assertThat(none.get("databases")).isEmpty();
        }
    }

    /** The given field of each element of a JSON array (not of what the elements hold). */
    static java.util.List<String> names(JsonNode array, String field) {
        java.util.List<String> names = new java.util.ArrayList<>();
        array.forEach(e -> names.add(e.get(field).asText()));
        return names;
    }

    @Test
    @Order(2)
    void webSocketReplaysTheLatestSnapshotThenPushesEachNewOne() {
        try (SocketClient client = new SocketClient(socket)) {
            JsonNode first = client.next(Duration.ofMillis(INTERVAL_MILLIS / 2));
            JsonNode second = client.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            JsonNode third = client.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            assertThat(second.get("sequence").asLong()).isGreaterThan(first.get("sequence").asLong());
            assertThat(third.get("sequence").asLong()).isGreaterThan(second.get("sequence").asLong());
            assertThat(pair(third, SUBSCRIPTION).get("lagBytes").asLong()).isZero();
            assertThat(third.get("status").asText()).isEqualTo("healthy");
        }
    }

    @Test
    @Order(3)
    void disabledSubscriptionBuildsLagAndAnInactiveSlotThenRecovers() {
        try (SocketClient client = new SocketClient(socket)) {
            pair.setSubscriptionEnabled(false);
            pair.insertRows(1000, 200); // about 300 KiB of WAL, several times the 64 KiB threshold

            JsonNode lagging = await().atMost(SETTLE).until(() -> latest(),
                    s -> pair(s, SUBSCRIPTION).get("lagBytes").asLong() > LAG_BYTES);
            assertThat(status(pair(lagging, SUBSCRIPTION))).isIn("warning", "critical");
            assertThat(reasons(pair(lagging, SUBSCRIPTION))).contains("behind (threshold 64.0 KiB)");
            assertThat(reasons(subscription(lagging, "target", SUBSCRIPTION))).contains("subscription is disabled");
            assertThat(subscription(lagging, "target", SUBSCRIPTION).get("workerPid").isNull()).isTrue();
            assertThat(lagging.get("status").asText()).isIn("warning", "critical");

            // The WebSocket client sees the same lag without asking.
            JsonNode pushed;
            do {
                pushed = client.next(Duration.ofMillis(INTERVAL_MILLIS * 3));
            } while (pair(pushed, SUBSCRIPTION).get("lagBytes").asLong() <= LAG_BYTES);
            assertThat(status(pair(pushed, SUBSCRIPTION))).isIn("warning", "critical");

            JsonNode inactive = await().atMost(SETTLE).until(() -> latest(),
                    s -> status(slot(s, "source", SUBSCRIPTION)).equals("critical"));
            assertThat(slot(inactive, "source", SUBSCRIPTION).get("active").asBoolean()).isFalse();
            assertThat(reasons(slot(inactive, "source", SUBSCRIPTION))).contains("slot inactive for", "(threshold 4 s)");
            assertThat(slot(inactive, "source", SUBSCRIPTION).get("inactiveSince").isNull()).isFalse();
            assertThat(status(pair(inactive, SUBSCRIPTION))).isEqualTo("critical");
        } finally {
            pair.setSubscriptionEnabled(true);
        }
        awaitHealthyAndCaughtUp();
        assertThat(slot(latest(), "source", SUBSCRIPTION).get("active").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void stoppedDatabaseIsDownWhileTheOtherKeepsUpdatingAndComesBack() {
        pair.target().stopServer("fast");
        try {
            JsonNode down = await().atMost(SETTLE).until(() -> latest(),
                    s -> !database(s, "target").get("reachable").asBoolean());
            JsonNode target = database(down, "target");
            assertThat(status(target)).isEqualTo("down");
            assertThat(target.get("error").asText()).isNotBlank();
            assertThat(target.get("lastError").asText()).isEqualTo(target.get("error").asText());
            assertThat(target.get("subscriptions").size()).isZero();
            assertThat(reasons(pair(down, SUBSCRIPTION))).contains("target database target is unreachable");
            assertThat(down.get("summary").get("down").asInt()).isEqualTo(1);

            // The source keeps being polled on schedule, every tick, while the target is down.
            Instant sourcePolled = Instant.parse(database(down, "source").get("polledAt").asText());
            long sequence = down.get("sequence").asLong();
            sleep(INTERVAL_MILLIS * 3);
            JsonNode later = latest();
            assertThat(later.get("sequence").asLong() - sequence).isGreaterThanOrEqualTo(2);
            JsonNode source = database(later, "source");
            assertThat(source.get("reachable").asBoolean()).isTrue();
            assertThat(Instant.parse(source.get("polledAt").asText())).isAfter(sourcePolled.plusMillis(INTERVAL_MILLIS));
            assertThat(later.get("tookMillis").asLong()).isLessThan(INTERVAL_MILLIS);

            // Readiness is about the monitor, not the databases it watches; the database's state is data.
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'monitored-databases' }.data.target", equalTo("down"));
        } finally {
            pair.target().startServer();
        }
        Instant started = Instant.now();
        await().atMost(Duration.ofMillis(INTERVAL_MILLIS * 2)).pollInterval(Duration.ofMillis(50))
                .until(() -> database(latest(), "target").get("reachable").asBoolean());
        assertThat(Duration.between(started, Instant.now())).isLessThanOrEqualTo(Duration.ofMillis(INTERVAL_MILLIS * 2));
        awaitHealthyAndCaughtUp();

        // No connection leaked by the failed polls: at most the pool size on each server, over several ticks.
        for (int i = 0; i < 3; i++) {
            assertThat(monitorSessions(pair.source().queryValue(ReplicationPair.DATABASE, SESSIONS))).isLessThanOrEqualTo(1);
            assertThat(monitorSessions(pair.target().queryValue(ReplicationPair.DATABASE, SESSIONS))).isLessThanOrEqualTo(1);
            sleep(INTERVAL_MILLIS);
        }
        JsonNode back = latest();
        assertThat(database(back, "target").get("lastError").asText()).isNotBlank();
        assertThat(database(back, "target").get("error").isNull()).isTrue();
    }

    private static final String SESSIONS =
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg-replication-monitor'";

    private static long monitorSessions(Object count) {
        return ((Number) count).longValue();
    }

    private static void awaitHealthyAndCaughtUp() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = given().get("/api/snapshot");
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode s = io.pgrepmon.harness.Snapshots.parse(response.asString());
            return s.get("status").asText().equals("healthy") && !s.get("pairs").isEmpty()
                    && pair(s, SUBSCRIPTION).get("lagBytes").asLong() == 0;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

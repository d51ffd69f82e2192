package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.Snapshots;
import io.pgrepmon.harness.WebhookReceiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.pgrepmon.harness.ReplicationPair.SUBSCRIPTION;
import static io.pgrepmon.harness.Snapshots.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts against a local webhook receiver: a brief blip notifies nobody, a disabled subscription fires (JSON and
 * Slack formats) and resolves once enabled, and a webhook that cannot be reached is reported, retried, and never
 * shown with its URL.
 */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
@TestProfile(AlertsTests.ShortAlerts.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsTests {

    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    static final String SECRET_PATH = "/services/T000/B000/secret-" + Long.toHexString(System.nanoTime());
    static final int CLOSED_PORT = PgCluster.freePort();

    public static class ShortAlerts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "monitor.alerts.for-duration", "8s",
                    "monitor.alerts.resolve-after", "3s",
                    "monitor.alerts.webhooks[0].url", RECEIVER.url("/json"),
                    "monitor.alerts.webhooks[1].url", RECEIVER.url("/slack"),
                    "monitor.alerts.webhooks[1].format", "slack",
                    "monitor.alerts.webhooks[2].url", "http://127.0.0.1:" + CLOSED_PORT + SECRET_PATH,
                    // The slot-inactive threshold is 4 s in these tests: keep the alert on the subscription's state.
                    "monitor.thresholds.slot-inactive", "60s");
        }
    }

    @InjectReplicationPair
    ReplicationPair pair;

    /** Firing notifications about the pair (the source database may alert too while its slot is inactive). */
    static long pairFirings() {
        return RECEIVER.received("/json").stream().map(r -> Snapshots.parse(r.body()))
                .filter(b -> b.get("event").asText().equals("firing") && b.get("alert").get("subject").asText().equals(SUBSCRIPTION))
                .count();
    }

    @Test
    @Order(1)
    void aBriefBlipNotifiesNobody() throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Snapshots.pair(latest(), SUBSCRIPTION).get("health").get("status").asText()).isEqualTo("healthy"));
        // Disabled and enabled again at once: unhealthy for the few seconds the apply worker takes to come back,
        // less than the 8 s an alert must last.
        pair.setSubscriptionEnabled(false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(latest().get("alerts").get("active").toString()).contains("\"state\":\"pending\""));
        pair.setSubscriptionEnabled(true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Snapshots.pair(latest(), SUBSCRIPTION).get("health").get("status").asText()).isEqualTo("healthy"));
        Thread.sleep(3000);
        assertThat(RECEIVER.received("/json")).as("notifications after a blip").isEmpty();
        assertThat(latest().get("alerts").get("active")).isEmpty();
    }

    @Test
    @Order(2)
    void disabledSubscriptionFiresThenResolvesInBothFormats() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(latest().get("alerts").get("active")).isEmpty());
        pair.setSubscriptionEnabled(false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(RECEIVER.received("/json")).anySatisfy(r -> {
                JsonNode body = Snapshots.parse(r.body());
                assertThat(body.get("event").asText()).isEqualTo("firing");
                assertThat(body.get("alert").get("subject").asText()).isEqualTo(SUBSCRIPTION);
                assertThat(body.get("alert").get("kind").asText()).isEqualTo("pair");
                assertThat(body.get("alert").get("reasons").toString()).contains("subscription is disabled");
            });
            assertThat(RECEIVER.received("/slack")).anySatisfy(r -> assertThat(Snapshots.parse(r.body()).get("text").asText())
                    .contains("FIRING", "pair " + SUBSCRIPTION, "subscription is disabled"));
        });
        JsonNode active = latest().get("alerts").get("active");
        assertThat(active.toString()).contains("\"subject\":\"" + SUBSCRIPTION + "\"", "\"state\":\"firing\"");

        pair.setSubscriptionEnabled(true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(RECEIVER.received("/json")).anySatisfy(r -> assertThat(Snapshots.parse(r.body()).get("event").asText())
                    .isEqualTo("resolved"));
            assertThat(RECEIVER.received("/slack")).anySatisfy(r -> assertThat(r.body()).contains("RESOLVED"));
            assertThat(latest().get("alerts").get("recent").toString()).contains(SUBSCRIPTION, "\"state\":\"resolved\"");
        });
        assertThat(pairFirings()).as("one firing notification for the pair, no flapping").isEqualTo(1);
    }

    @Test
    @Order(3)
    void unreachableWebhookIsReportedNotFatalAndItsUrlIsNeverShown() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode notifiers = latest().get("alerts").get("notifiers");
            assertThat(notifiers).hasSize(3);
            JsonNode unreachable = notifiers.get(2);
            assertThat(unreachable.get("name").asText()).isEqualTo("webhook[2] (127.0.0.1)");
            assertThat(unreachable.get("failed").asLong()).isPositive();
            assertThat(unreachable.get("lastError").asText()).contains("not delivered after 4 attempts", "Exception");
            assertThat(notifiers.get(0).get("sent").asLong()).isGreaterThanOrEqualTo(2);
        });
        long before = latest().get("sequence").asLong();
        Thread.sleep(2500);
        assertThat(latest().get("sequence").asLong()).as("ticks go on").isGreaterThan(before);
        assertThat(Snapshots.parse(io.restassured.RestAssured.given().get("/api/snapshot").then().extract().asString()).toString())
                .doesNotContain(SECRET_PATH).doesNotContain("secret-");
        assertThat(Files.readString(Path.of("target/quarkus.log"))).doesNotContain(SECRET_PATH);
    }
}

package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.OriginNoneResource;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.Snapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgrepmon.harness.OriginNoneResource.PAIR;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On 16, a subscription with {@code origin = none} whose source is itself a subscriber silently drops what the
 * source receives: on real servers the row never reaches the target, and the pair is not Ready.
 */
@QuarkusTest
@WithTestResource(OriginNoneResource.class)
class OriginNoneTests {

    @InjectReplicationPair
    ReplicationPair pair;

    static JsonNode check(String id) {
        return Snapshots.check(Snapshots.parse(given().get("/api/cutover/" + PAIR).then().extract().asString()), id);
    }

    @Test
    void originNoneOnASubscriptionFromASubscriberFailsCoverageAndTheRowsItDropsShowInTheCounts() {
        pair.source().execute("up", "INSERT INTO items VALUES (11, 'from further up')");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Replication.count(pair.source(), "shop", "SELECT count(*) FROM items WHERE id = 11") == 1);
        pair.source().execute("shop", "INSERT INTO items VALUES (12, 'written on the source')");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Replication.count(pair.target(), "shop", "SELECT count(*) FROM items WHERE id = 12") == 1);
        assertThat(Replication.count(pair.target(), "shop", "SELECT count(*) FROM items WHERE id = 11"))
                .as("the change from up is never sent on").isZero();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode coverage = check("publication-coverage");
            assertThat(coverage.get("result").asText()).as(coverage.toString()).isEqualTo("fail");
            assertThat(coverage.toString()).contains("sub_shop: origin = none, and the source is itself a subscriber"
                    + " (1 subscription(s))", "ALTER SUBSCRIPTION sub_shop SET (origin = any)");
            assertThat(given().get("/api/cutover/" + PAIR).statusCode()).isEqualTo(503);
        });

        given().post("/api/cutover/deep-check").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode counts = check("row-counts");
            assertThat(counts.get("result").asText()).as(counts.toString()).isEqualTo("fail");
            assertThat(counts.toString()).contains("public.items: 12 on the source, 11 on the target");
        });

        // Without its own subscription, the source still receives changes under an origin another tool made (as
        // pglogical does): they are not sent on either, and the monitor cannot tell which tables they write.
        pair.source().execute("shop", "DROP SUBSCRIPTION sub_up");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(check("publication-coverage").get("result").asText()).isEqualTo("pass"));
        pair.source().execute("shop", "SELECT pg_replication_origin_create('pglogical_like')");
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode coverage = check("publication-coverage");
                assertThat(coverage.get("result").asText()).as(coverage.toString()).isEqualTo("unknown");
                assertThat(coverage.get("evidence").asText()).contains("1 replication origin(s) of no subscription");
            });
        } finally {
            pair.source().execute("shop", "SELECT pg_replication_origin_drop('pglogical_like')");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(check("publication-coverage").get("result").asText()).isEqualTo("pass"));
    }
}

package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.SkippedChangesResource;
import io.pgrepmon.harness.Snapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgrepmon.harness.SkippedChangesResource.PAIR;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On 18, a conflict after which the subscriber skipped a change (an UPDATE for a row the target no longer has)
 * leaves the two sides different for good: no-new-errors fails however long ago it was, until acknowledged.
 */
@QuarkusTest
@WithTestResource(SkippedChangesResource.class)
class SkippedChangesTests {

    @InjectReplicationPair
    ReplicationPair pair;

    static JsonNode errorsCheck() {
        return Snapshots.check(Snapshots.parse(given().get("/api/cutover/" + PAIR).then().extract().asString()),
                "no-new-errors");
    }

    @Test
    void aSkippedChangeFailsUntilAcknowledgedAndNotJustForTheWindow() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(errorsCheck().get("result").asText()).isEqualTo("pass"));
        pair.target().execute("shop", "DELETE FROM items WHERE id = 3");
        pair.source().execute("shop", "UPDATE items SET name = 'renamed' WHERE id = 3");
        // Well past the 2 s observation window: the skipped change still fails.
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(4)).untilAsserted(() -> {
            JsonNode c = errorsCheck();
            assertThat(c.get("result").asText()).as(c.toString()).isEqualTo("fail");
            assertThat(c.get("evidence").asText()).startsWith("1 change(s) skipped by a conflict (update_missing, delete_missing)")
                    .contains("POST /api/cutover/" + PAIR + "/acknowledge-skipped-changes");
        });

        // Resetting the counters does not undo the divergence: the check still fails.
        pair.target().execute("shop", "SELECT pg_stat_reset_subscription_stats(NULL)");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Replication.count(pair.target(), "shop", "SELECT coalesce(sum(confl_update_missing), 0)"
                        + " FROM pg_stat_subscription_stats")).isZero());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode c = errorsCheck();
            assertThat(c.get("result").asText()).as(c.toString()).isEqualTo("fail");
            assertThat(c.get("evidence").asText()).startsWith("1 change(s) skipped by a conflict");
        });

        // The operator re-syncs the row, then acknowledges.
        pair.target().execute("shop", "INSERT INTO items VALUES (3, 'renamed')");
        JsonNode ack = Snapshots.parse(given().post("/api/cutover/" + PAIR + "/acknowledge-skipped-changes")
                .then().statusCode(200).extract().asString());
        assertThat(ack.get("skippedChanges").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(errorsCheck().get("result").asText()).isEqualTo("pass"));
        given().post("/api/cutover/no-such-pair/acknowledge-skipped-changes").then().statusCode(404);
    }
}

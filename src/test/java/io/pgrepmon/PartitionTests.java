package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.PartitionResource;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ReplicationPair;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgrepmon.CutoverTests.awaitFailing;
import static io.pgrepmon.CutoverTests.awaitReady;
import static io.pgrepmon.CutoverTests.check;
import static io.pgrepmon.CutoverTests.failsSchemaUntilUndone;
import static io.pgrepmon.CutoverTests.verdict;
import static io.pgrepmon.CutoverTests.verifyAnswer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partitioned table on real servers, published through its root and then by its partitions: both reach Ready
 * with the content proven at the gate; a unique index on a partition only, a row filter on the root and a partition
 * detached on the target are differences; and a partition made on the source during the migration, which the
 * subscription does not receive, keeps the pair from Ready.
 */
@QuarkusTest
@WithTestResource(PartitionResource.class)
class PartitionTests {

    @InjectReplicationPair
    ReplicationPair pair;

    static void gateSaysReady() {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode answer = verifyAnswer();
            assertThat(answer.get("verdict").asText()).as(answer.toString()).isEqualTo("ready");
            assertThat(check(answer, "content").get("result").asText()).isEqualTo("pass");
            assertThat(given().post("/api/cutover/" + PartitionResource.PAIR + "/verify").statusCode()).isEqualTo(200);
        });
    }

    @Test
    void aPartitionedTableReachesReadyThroughItsRootAndByItsPartitionsAndANewPartitionOnTheSourceKeepsItFromReady() {
        // Through the root: the subscription lists public.events, the source's tables are its partitions.
        awaitReady();
        JsonNode coverage = check(verdict(), "publication-coverage");
        assertThat(coverage.get("evidence").asText()).startsWith("2 table(s), all received");
        assertThat(check(verdict(), "row-counts").get("evidence").asText()).startsWith("1 table(s) with equal counts");
        gateSaysReady();

        // Through the root, the partitioned table stands for its partitions: a unique index only they have is its key.
        failsSchemaUntilUndone(pair.source(), "CREATE UNIQUE INDEX events_11_payload ON events_2026_11 (payload)",
                "DROP INDEX events_11_payload", null,
                "public.events: UNIQUE (payload) on partition public.events_2026_11 only on the source, not on the target");

        // A row filter on the root is its partitions' filter: they are sent in part.
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET TABLE events WHERE (payload <> 'secret')");
        awaitFailing("publication-coverage", "public.events_2026_11: pub_shop sends only rows where (payload <> 'secret'::text)");
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET TABLE events");

        // By its partitions: the subscription now lists them, as the source does.
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET (publish_via_partition_root = false)");
        pair.target().execute("shop", "ALTER SUBSCRIPTION sub_shop REFRESH PUBLICATION WITH (copy_data = false)");
        Replication.awaitTablesReady(pair.target(), "shop", Duration.ofSeconds(30));
        pair.source().execute("shop", "INSERT INTO events VALUES (201, '2026-12-24', 'after the switch to partitions')");
        await().atMost(Duration.ofSeconds(20)).until(() -> Replication.count(pair.target(), "shop",
                "SELECT count(*) FROM events_2026_12 WHERE id = 201") == 1);
        awaitReady();
        assertThat(check(verdict(), "row-counts").get("evidence").asText()).startsWith("2 table(s) with equal counts");
        gateSaysReady();

        // Subscribed by its own name, a partition detached on the target still receives its rows, but a query of
        // events there no longer sees them.
        failsSchemaUntilUndone(pair.target(), "ALTER TABLE events DETACH PARTITION events_2026_11",
                "ALTER TABLE events ATTACH PARTITION events_2026_11 FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')", null,
                "public.events_2026_11: PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01') on the source,"
                        + " not on the target");

        // A month's partition made on the source during the migration: its parent's publication publishes it, the
        // subscription does not receive it until refreshed, and the target has no such table.
        pair.source().execute("shop", "CREATE TABLE events_2027_01 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2027-02-01')",
                "INSERT INTO events VALUES (202, '2027-01-05', 'a new month')");
        awaitFailing("publication-coverage", "public.events_2027_01: published but not in the subscription");
    }
}

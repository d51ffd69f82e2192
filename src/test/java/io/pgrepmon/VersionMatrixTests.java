package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.Snapshots;
import io.pgrepmon.harness.VersionMatrixResource;
import io.pgrepmon.harness.VersionMatrixResource.VersionMatrix;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static io.pgrepmon.harness.Snapshots.pair;
import static io.pgrepmon.harness.Snapshots.reasons;
import static io.pgrepmon.harness.Snapshots.slot;
import static io.pgrepmon.harness.Snapshots.status;
import static io.pgrepmon.harness.Snapshots.subscription;
import static io.pgrepmon.harness.VersionMatrixResource.UPGRADE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every probe against a real cluster of each PostgreSQL major version from 13 to 18, through a monitoring role
 * with only pg_monitor: each version shows what it offers, and what it lacks is null (not false, not 0).
 * Plus a cross-version pair, an old source replicating into a new target as in a major-version upgrade.
 */
@QuarkusTest
@WithTestResource(VersionMatrixResource.class)
class VersionMatrixTests {

    @InjectReplicationPair
    VersionMatrix matrix;

    @BeforeEach
    void everyPairCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode snapshot = latest();
            List<String> problems = new ArrayList<>();
            snapshot.get("databases").forEach(db -> problems.add(db.get("name").asText() + " " + db.get("health") + " " + db.get("probes")));
            assertThat(snapshot.get("pairs").size()).as("pairs; databases: %s", problems)
                    .isEqualTo(VersionMatrixResource.majors().size() + 1);
            for (JsonNode pair : snapshot.get("pairs")) {
                assertThat(status(pair)).as(pair.toString()).isEqualTo("healthy");
                assertThat(pair.get("lagBytes").asLong()).as(pair.get("name").asText()).isZero();
            }
        });
    }

    @Test
    void eachVersionShowsTheColumnsItHasAndNullForThoseItLacks() {
        JsonNode snapshot = latest();
        List<String> checked = new ArrayList<>();
        for (int major : VersionMatrixResource.majors()) {
            String src = "pg" + major + "-src";
            String dst = "pg" + major + "-dst";
            String sub = VersionMatrixResource.subscription(major);
            JsonNode source = database(snapshot, src);
            JsonNode target = database(snapshot, dst);
            assertThat(source.get("server").get("versionNum").asInt() / 10000).isEqualTo(major);
            assertThat(source.get("server").get("user").asText()).isEqualTo(Replication.MONITOR_ROLE);
            assertThat(source.get("privileges")).as("pg_monitor is enough on %d", major).isEmpty();
            assertThat(target.get("privileges")).isEmpty();
            assertThat(probes(source)).containsExactlyInAnyOrderElementsOf(major >= 15
                    ? List.of("slots", "slot-stats", "walsenders", "publications", "publication-filters", "tables", "activity", "fingerprint")
                    : major >= 14 ? List.of("slots", "slot-stats", "walsenders", "publications", "tables", "activity", "fingerprint")
                    : List.of("slots", "walsenders", "publications", "tables", "activity", "fingerprint"));
            assertThat(probes(target)).containsExactlyInAnyOrderElementsOf(major >= 15
                    ? List.of("subscriptions", "subscription-tables", "subscription-stats", "activity", "fingerprint")
                    : List.of("subscriptions", "subscription-tables", "activity", "fingerprint"));
            assertThat(source.get("probes").toString() + target.get("probes")).as("no probe fails on %d", major)
                    .doesNotContain("\"error\":\"");

            JsonNode slot = slot(snapshot, src, sub);
            assertThat(slot.get("walStatus").asText()).isEqualTo("reserved");
            assertThat(slot.get("safeWalSize").asLong()).as("max_slot_wal_keep_size is set").isPositive();
            assertThat(slot.get("temporary").asBoolean()).isFalse();
            assertThat(slot.get("restartLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
            assertOffered(slot, "twoPhase", major >= 14);
            assertOffered(slot, "conflicting", major >= 16);
            assertOffered(slot, "failover", major >= 17);
            assertOffered(slot, "synced", major >= 17);
            assertThat(slot.get("invalidationReason").isNull()).isTrue();
            assertOffered(slot, "stats", major >= 14);
            if (major >= 14) {
                assertThat(slot.get("stats").get("totalBytes").isNumber()).isTrue();
            }

            JsonNode sender = source.get("walSenders").get(0);
            assertThat(sender.get("slotName").asText()).isEqualTo(sub);
            assertThat(sender.get("state").asText()).isEqualTo("streaming");
            assertThat(sender.get("flushLsn").asText()).as("pg_monitor sees walsender positions").matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(sender.get("activity").asText()).isIn("idle", "streaming");

            JsonNode orders = null;
            for (JsonNode t : source.get("tables")) {
                if (t.get("name").asText().equals("orders")) {
                    orders = t;
                }
            }
            assertThat(orders).as("orders in " + source.get("tables")).isNotNull();
            assertThat(orders.get("publications").toString()).isEqualTo("[\"pub\"]");
            assertThat(orders.get("hasPrimaryKey").asBoolean()).isTrue();
            assertThat(status(source)).isEqualTo("warning");
            assertThat(reasons(source)).contains("1 table(s) in no publication, which a migration would miss: public.audit");

            JsonNode subscription = subscription(snapshot, dst, sub);
            assertThat(subscription.get("workerPid").asInt()).isPositive();
            assertThat(subscription.get("receivedLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(subscription.get("lastMsgReceiptAgeMillis").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(subscription.get("streaming").isNull()).isEqualTo(major < 14);
            if (major >= 14) {
                // PostgreSQL 18 made parallel streaming the default.
                assertThat(subscription.get("streaming").asText()).isEqualTo(major >= 18 ? "parallel" : "off");
            }
            assertOffered(subscription, "twoPhase", major >= 15);
            assertOffered(subscription, "disableOnError", major >= 15);
            assertOffered(subscription, "parallelWorkers", major >= 16);
            assertOffered(subscription, "stats", major >= 15);
            if (major >= 15) {
                JsonNode stats = subscription.get("stats");
                assertThat(stats.get("applyErrors").asLong()).isZero();
                assertThat(stats.get("newApplyErrors").asLong()).isZero();
                assertOffered(stats, "conflicts", major >= 18);
                if (major >= 18) {
                    assertThat(stats.get("conflicts").size()).isEqualTo(7);
                    assertThat(stats.get("conflicts").has("insert_exists")).isTrue();
                }
            }
            assertThat(subscription.get("tables")).singleElement().satisfies(t -> {
                assertThat(t.get("name").asText()).isEqualTo("orders");
                assertThat(t.get("state").asText()).isEqualTo("r");
                assertThat(t.get("stateName").asText()).isEqualTo("ready");
            });

            JsonNode pair = pair(snapshot, sub);
            assertThat(pair.get("sourceDatabase").asText()).isEqualTo(src);
            assertThat(pair.get("linkedBy").asText()).isEqualTo("source");
            assertThat(pair.get("tableStates").toString()).isEqualTo("{\"r\":1}");
            assertThat(pair.get("missingTables")).isEmpty();
            assertThat(pair.get("lagSeconds").asDouble()).isZero();
            checked.add(major + ": ok");
        }
        assertThat(checked).hasSize(VersionMatrixResource.majors().size());
    }

    @Test
    void olderSourceReplicatesIntoNewerTarget() {
        int oldest = VersionMatrixResource.majors().get(0);
        int newest = VersionMatrixResource.majors().get(VersionMatrixResource.majors().size() - 1);
        long before = Replication.count(matrix.newest(), "up", "SELECT count(*) FROM orders");
        Replication.insertRows(matrix.oldest(), "src", "orders", 500, 200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Replication.count(matrix.newest(), "up", "SELECT count(*) FROM orders")).isEqualTo(before + 500));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode pair = pair(latest(), UPGRADE);
            assertThat(pair.get("sourceDatabase").asText()).isEqualTo("pg" + oldest + "-src");
            assertThat(pair.get("targetDatabase").asText()).isEqualTo("pg" + newest + "-up");
            assertThat(pair.get("linkedBy").asText()).isEqualTo("slot name");
            assertThat(pair.get("lagBytes").asLong()).isZero();
            assertThat(status(pair)).isEqualTo("healthy");
        });
        JsonNode snapshot = latest();
        assertThat(database(snapshot, "pg" + oldest + "-src").get("server").get("versionNum").asInt() / 10000).isEqualTo(oldest);
        assertThat(database(snapshot, "pg" + newest + "-up").get("server").get("versionNum").asInt() / 10000).isEqualTo(newest);
    }

    /** The content comparison of one table of the upgrade pair, from a deep check run now. */
    private static JsonNode upgradeContent(String table) {
        JsonNode runs = Snapshots.parse(io.restassured.RestAssured.given().post("/api/cutover/deep-check")
                .then().statusCode(200).extract().asString());
        for (JsonNode run : runs) {
            if (run.get("pair").asText().equals(UPGRADE)) {
                for (JsonNode t : run.get("content")) {
                    if (t.get("table").asText().equals(table)) {
                        return t;
                    }
                }
                throw new AssertionError("no content of " + table + " in " + run);
            }
        }
        throw new AssertionError("no deep check of " + UPGRADE + " in " + runs);
    }

    /**
     * From the oldest major to the newest, floats (1e-300, NaN, -Infinity), numerics with trailing zeros,
     * timestamps with microseconds, time zones, intervals, bytea and jsonb are hashed alike: a match, and a value
     * changed in its last digits on the target only is a difference.
     */
    @Test
    void contentMatchesAcrossMajorVersionsAndADifferenceInOneValueIsFound() {
        matrix.oldest().execute("src", "INSERT INTO measures SELECT g, g / 7.0, g / 3.0, g / 9.0, '2000-01-01'::timestamp"
                + " + g * interval '1.000001 s', now(), g * interval '1 min', decode(md5(g::text), 'hex'), jsonb_build_object('g', g)"
                + " FROM generate_series(10, 2009) g");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode measures = upgradeContent("public.measures");
            assertThat(measures.get("result").asText()).as(measures.toString()).isEqualTo("match");
            assertThat(measures.get("rows").asLong()).isEqualTo(2003);
        });
        matrix.newest().execute("up", "UPDATE measures SET f = f + 1e-12 WHERE id = 2");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode measures = upgradeContent("public.measures");
                assertThat(measures.get("result").asText()).as(measures.toString()).isEqualTo("differ");
                assertThat(measures.get("detail").asText())
                        .isEqualTo("rows differ in key range (start .. end): 2003 row(s) on the source, 2003 on the target");
            });
        } finally {
            matrix.newest().execute("up", "UPDATE measures SET f = 0.1 WHERE id = 2");
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(upgradeContent("public.measures").get("result").asText()).isEqualTo("match"));
    }

    private static List<String> probes(JsonNode database) {
        List<String> names = new ArrayList<>();
        database.get("probes").forEach(p -> names.add(p.get("probe").asText()));
        return names;
    }

    /** A field the version offers is present and not null; one it lacks is null. */
    private static void assertOffered(JsonNode node, String field, boolean offered) {
        assertThat(node.has(field)).as(field + " is always in the JSON").isTrue();
        assertThat(node.get(field).isNull()).as(field + (offered ? " offered" : " not offered")).isEqualTo(!offered);
    }
}

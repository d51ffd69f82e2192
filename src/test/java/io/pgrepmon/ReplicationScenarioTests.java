package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ScenarioResource;
import io.pgrepmon.harness.ScenarioResource.Scenarios;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static io.pgrepmon.harness.Snapshots.pair;
import static io.pgrepmon.harness.Snapshots.reasons;
import static io.pgrepmon.harness.Snapshots.slot;
import static io.pgrepmon.harness.Snapshots.status;
import static io.pgrepmon.harness.Snapshots.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real replication scenarios, each in its own databases (see {@link ScenarioResource}): a slow initial copy, a table
 * added to a publication, a duplicate-key conflict, a table without a primary key, a slot that loses its WAL, a
 * standby, and a role without pg_monitor. The monitor logs in as a pg_monitor-only role everywhere else.
 */
@QuarkusTest
@WithTestResource(ScenarioResource.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReplicationScenarioTests {

    @InjectReplicationPair
    Scenarios clusters;

    static void eventually(Duration timeout, Consumer<JsonNode> check) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> check.accept(latest()));
    }

    static JsonNode table(JsonNode subscription, String name) {
        for (JsonNode t : subscription.get("tables")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no table " + name + " in " + subscription.get("tables"));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void initialCopyShowsItsProgressGrowingUntilTheTableIsReady() {
        Replication.subscribe(clusters.source(), "copy", "pub_copy", clusters.target(), "copy", "sub_copy", null);
        List<Long> seen = new ArrayList<>();
        AtomicReference<JsonNode> copying = new AtomicReference<>();
        // Progress visible and growing: two snapshots of the same copy, the later with more bytes.
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode big = table(subscription(s, "dst-copy", "sub_copy"), "big");
            assertThat(big.get("state").asText()).isEqualTo("d");
            JsonNode copy = big.get("copy");
            assertThat(copy.isNull()).isFalse();
            long bytes = copy.get("bytesProcessed").asLong();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != bytes) {
                seen.add(bytes);
            }
            copying.set(s);
            assertThat(seen).as("distinct progress readings").hasSizeGreaterThanOrEqualTo(3);
            assertThat(bytes).isGreaterThan(seen.get(0));
        });
        JsonNode s = copying.get();
        JsonNode copy = table(subscription(s, "dst-copy", "sub_copy"), "big").get("copy");
        assertThat(copy.get("sourceBytes").asLong()).as("the table's size on the source").isGreaterThan(COPY_BYTES_MIN);
        assertThat(copy.get("percent").asDouble()).isBetween(0.1, 99.9);
        assertThat(copy.get("tuplesProcessed").asLong()).isPositive();
        assertThat(table(subscription(s, "dst-copy", "sub_copy"), "big").get("syncWorkerPid").asInt()).isPositive();
        assertThat(pair(s, "sub_copy").get("tableStates").toString()).isEqualTo("{\"d\":1}");
        // The copy runs from a slot of its own, idle meanwhile: it is shown as a table-sync slot, not an abandoned one.
        JsonNode syncSlot = null;
        for (JsonNode slot : database(s, "src-copy").get("slots")) {
            if (slot.get("tableSync").asBoolean()) {
                syncSlot = slot;
            }
        }
        assertThat(syncSlot).as("table-sync slot on the source during the copy").isNotNull();
        assertThat(status(syncSlot)).isEqualTo("healthy");
        // Never ready to cut over while a table is still being copied.
        JsonNode verdict = null;
        for (JsonNode v : s.get("cutover")) {
            if (v.get("pair").asText().equals("sub_copy")) {
                verdict = v;
            }
        }
        assertThat(verdict).isNotNull();
        assertThat(verdict.get("verdict").asText()).isEqualTo("not-ready");
        assertThat(verdict.get("checks").toString()).contains("\"id\":\"tables-ready\",\"title\":\"every table has finished"
                + " its initial sync and no table-sync slot remains\",\"result\":\"fail\"", "public.big: copying data");
        assertThat(s.get("summary").get("subscribedTables").asInt()).isGreaterThan(s.get("summary").get("readyTables").asInt());

        eventually(Duration.ofSeconds(60), later -> {
            JsonNode big = table(subscription(later, "dst-copy", "sub_copy"), "big");
            assertThat(big.get("state").asText()).isEqualTo("r");
            assertThat(big.get("copy").isNull()).isTrue();
            assertThat(pair(later, "sub_copy").get("tableStates").toString()).isEqualTo("{\"r\":1}");
            assertThat(status(pair(later, "sub_copy"))).isEqualTo("healthy");
        });
        assertThat(Replication.count(clusters.target(), "copy", "SELECT count(*) FROM big")).isEqualTo(ScenarioResource.COPY_ROWS);
    }

    /** 20 000 rows of 192 characters: well over 3 MB on disk. */
    private static final long COPY_BYTES_MIN = 3_000_000;

    /** Named after its target: the role without pg_monitor watches the same subscription as plain-dst. */
    private static final String GROW_PAIR = "dst-grow.sub_grow";

    @Test
    void tableAddedToThePublicationIsMissingUntilRefreshThenReady() {
        clusters.source().execute("grow", "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g",
                "ALTER PUBLICATION pub_grow ADD TABLE items");
        clusters.target().execute("grow", "CREATE TABLE items (id int PRIMARY KEY, name text)");
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode pair = pair(s, GROW_PAIR);
            assertThat(pair.get("missingTables").toString()).isEqualTo("[\"public.items\"]");
            assertThat(status(pair)).isEqualTo("warning");
            assertThat(reasons(pair)).contains("1 published table(s) not in the subscription: public.items"
                    + " (ALTER SUBSCRIPTION sub_grow REFRESH PUBLICATION)");
        });

        clusters.target().execute("grow", "ALTER SUBSCRIPTION sub_grow REFRESH PUBLICATION");
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode pair = pair(s, GROW_PAIR);
            assertThat(pair.get("missingTables")).isEmpty();
            assertThat(table(subscription(s, "dst-grow", "sub_grow"), "items").get("state").asText()).isEqualTo("r");
            assertThat(pair.get("tableStates").toString()).isEqualTo("{\"r\":2}");
            assertThat(status(pair)).isEqualTo("healthy");
        });
        assertThat(Replication.count(clusters.target(), "grow", "SELECT count(*) FROM items")).isEqualTo(50);
    }

    @Test
    void duplicateKeyStopsTheApplyWorkerIsCountedAndRecoversWhenResolved() {
        clusters.target().execute("conflict", "INSERT INTO orders (id, customer, amount) VALUES (1000001, 'target only', 1)");
        clusters.source().execute("conflict", "INSERT INTO orders (id, customer, amount) VALUES (1000001, 'from source', 2)");
        AtomicLong errors = new AtomicLong();
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode pair = pair(s, "sub_conflict");
            assertThat(status(pair)).isEqualTo("critical");
            assertThat(reasons(pair)).contains("apply error", "since monitoring started");
            assertThat(pair.get("lagBytes").asLong()).isPositive();
            JsonNode stats = subscription(s, "dst-conflict", "sub_conflict").get("stats");
            assertThat(stats.get("newApplyErrors").asLong()).isPositive();
            errors.set(stats.get("newApplyErrors").asLong());
        });

        clusters.target().execute("conflict", "DELETE FROM orders WHERE id = 1000001");
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode pair = pair(s, "sub_conflict");
            assertThat(pair.get("lagBytes").asLong()).isZero();
            assertThat(status(pair)).as("healthy once no new error for %s", ScenarioResource.ERROR_RECENT).isEqualTo("healthy");
            JsonNode stats = subscription(s, "dst-conflict", "sub_conflict").get("stats");
            assertThat(stats.get("newApplyErrors").asLong()).as("the history stays").isGreaterThanOrEqualTo(errors.get());
        });
        assertThat(clusters.target().queryValue("conflict", "SELECT customer FROM orders WHERE id = 1000001"))
                .isEqualTo("from source");
    }

    @Test
    void publishedTableWithoutPrimaryKeyIsCriticalUntilItHasAReplicaIdentity() {
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode source = database(s, "src-nopk");
            assertThat(status(source)).isEqualTo("critical");
            assertThat(reasons(source)).contains("1 published table(s) without a primary key or usable replica identity",
                    "public.events");
            JsonNode events = source.get("tables").get(0);
            assertThat(events.get("hasPrimaryKey").asBoolean()).isFalse();
            assertThat(events.get("identityUsable").asBoolean()).isFalse();
            assertThat(reasons(events)).contains("REPLICA IDENTITY FULL");
        });
        // What the monitor warns about, for real: the source refuses the UPDATE.
        assertThatThrownBy(() -> clusters.source().execute("nopk", "UPDATE events SET what = 'changed'"))
                .hasMessageContaining("does not have a replica identity and publishes updates");

        clusters.source().execute("nopk", "ALTER TABLE events REPLICA IDENTITY FULL", "UPDATE events SET what = 'changed'");
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode source = database(s, "src-nopk");
            assertThat(source.get("tables").get(0).get("replicaIdentity").asText()).isEqualTo("full");
            assertThat(status(source)).isEqualTo("healthy");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(clusters.target().queryValue("nopk", "SELECT what FROM events WHERE id = 1")).isEqualTo("changed"));
    }

    @Test
    void slotPastMaxSlotWalKeepSizeIsUnreservedThenLost() {
        // max_slot_wal_keep_size = 1MB leaves far less than the 1 GiB default headroom, even while all is well.
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode slot = slot(s, "src-lost", "sub_lost");
            assertThat(slot.get("walStatus").asText()).isIn("reserved", "extended");
            assertThat(status(slot)).isEqualTo("warning");
            assertThat(reasons(slot)).contains("of WAL may still be written before the slot loses WAL it needs (safe_wal_size");
        });
        clusters.target().execute("lost", "ALTER SUBSCRIPTION sub_lost DISABLE");
        Replication.await(Duration.ofSeconds(30), "slot sub_lost inactive", () -> Boolean.FALSE.equals(
                clusters.lossy().queryValue("lost", "SELECT active FROM pg_replication_slots WHERE slot_name = 'sub_lost'")));
        // About 40 MB of WAL against a 1 MB max_slot_wal_keep_size; no checkpoint runs until the test asks.
        Replication.insertRows(clusters.lossy(), "lost", "orders", 80_000, 400);
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode slot = slot(s, "src-lost", "sub_lost");
            assertThat(slot.get("walStatus").asText()).isEqualTo("unreserved");
            assertThat(slot.get("safeWalSize").asLong()).isNegative();
            assertThat(status(pair(s, "sub_lost"))).isEqualTo("critical");
            assertThat(reasons(pair(s, "sub_lost"))).contains("wal_status unreserved");
        });

        clusters.lossy().execute("lost", "CHECKPOINT");
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode slot = slot(s, "src-lost", "sub_lost");
            assertThat(slot.get("walStatus").asText()).isEqualTo("lost");
            assertThat(slot.get("restartLsn").isNull()).as("a lost slot has no restart position").isTrue();
            assertThat(slot.get("retainedBytes").isNull()).as("unknown, not computed from 0/0").isTrue();
            assertThat(reasons(pair(s, "sub_lost"))).contains("can never catch up");
        });
    }

    @Test
    void standbySourceIsReportedInRecoveryWithEveryProbeWorking() {
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode standby = database(s, "standby");
            assertThat(standby.get("reachable").asBoolean()).isTrue();
            assertThat(standby.get("server").get("inRecovery").asBoolean()).isTrue();
            assertThat(standby.get("server").get("currentLsn").asText()).as("the replay position").matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(standby.get("probes").toString()).doesNotContain("\"error\":\"");
            List<String> probes = new java.util.ArrayList<>();
            standby.get("probes").forEach(p -> probes.add(p.get("probe").asText()));
            assertThat(probes).containsExactly("activity", "slots", "slot-stats", "walsenders", "publications",
                    "publication-filters", "tables", "fingerprint");
            assertThat(standby.get("publications").get(0).get("name").asText()).isEqualTo("pub_grow");
        });
    }

    @Test
    void roleWithoutPgMonitorIsToldWhatItMissesInsteadOfFailing() {
        eventually(Duration.ofSeconds(20), s -> {
            JsonNode plainSource = database(s, "plain-src");
            assertThat(plainSource.get("reachable").asBoolean()).isTrue();
            assertThat(plainSource.get("server").get("readAllStats").asBoolean()).isFalse();
            assertThat(plainSource.get("privileges").toString())
                    .contains("role plain lacks pg_read_all_stats", "GRANT pg_monitor TO plain");
            assertThat(status(plainSource)).isEqualTo("warning");
            assertThat(plainSource.get("slots")).as("slots are readable by anyone").isNotEmpty();
            JsonNode sender = plainSource.get("walSenders").get(0);
            assertThat(sender.get("flushLsn").isNull()).as("hidden without pg_read_all_stats").isTrue();
            assertThat(sender.get("activity").asText()).isEqualTo("unknown");

            JsonNode plainTarget = database(s, "plain-dst");
            assertThat(plainTarget.get("privileges").toString()).contains("GRANT pg_monitor TO plain");
            assertThat(plainTarget.get("subscriptions").get(0).get("tables")).isNotEmpty();

            JsonNode monitored = database(s, "src-grow");
            assertThat(monitored.get("privileges")).as("the pg_monitor role lacks nothing").isEmpty();
            assertThat(monitored.get("walSenders").get(0).get("flushLsn").isNull()).isFalse();
        });
    }

    @Test
    void subscriberBlockedOnALockStallsItsWalsenderUntilReleased() throws Exception {
        try (java.sql.Connection lock = clusters.target().connect("stall")) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Replication.insertRows(clusters.source(), "stall", "orders", 200, 100);
            eventually(Duration.ofSeconds(30), s -> {
                JsonNode pair = pair(s, "sub_stall");
                assertThat(pair.get("walSender").asText()).isEqualTo("stalled");
                assertThat(pair.get("lagBytes").asLong()).isPositive();
                assertThat(status(pair)).isEqualTo("critical");
                assertThat(reasons(pair)).contains("walsender stalled", "the subscriber has confirmed nothing for");
                assertThat(pair.get("lagMethodText").asText()).as("seconds from a stalled slot are a lower bound")
                        .satisfiesAnyOf(m -> assertThat(m).startsWith("at least"), m -> assertThat(m).startsWith("replay_lag"));
                assertThat(pair.get("lagMethod").asText()).isIn("lower-bound", "replay-lag");
            });
            lock.rollback();
        }
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode pair = pair(s, "sub_stall");
            assertThat(pair.get("lagBytes").asLong()).isZero();
            assertThat(pair.get("walSender").asText()).isIn("idle", "streaming");
            assertThat(status(pair)).isEqualTo("healthy");
        });
        assertThat(Replication.count(clusters.target(), "stall", "SELECT count(*) FROM orders")).isEqualTo(210);
    }

    @Test
    void initialCopyThatKeepsFailingCountsSyncErrorsAndIsStuck() {
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode subscription = subscription(s, "dst-broken", "sub_broken");
            assertThat(table(subscription, "wide").get("state").asText()).isNotEqualTo("r");
            assertThat(subscription.get("stats").get("newSyncErrors").asLong()).isPositive();
            JsonNode pair = pair(s, "sub_broken");
            assertThat(status(pair)).isEqualTo("critical");
            assertThat(reasons(pair)).contains("sync error", "1 table(s) not ready and the initial sync has not moved for");
            assertThat(s.get("summary").get("readyTables").asInt()).isLessThan(s.get("summary").get("subscribedTables").asInt());
        });
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void pairCatchingUpGetsAnEstimateOfWhenItWillBeCaughtUp() {
        // The copy test subscribed sub_copy; its target applies slowly (a trigger sleeps per row), so 200 small
        // transactions take seconds to apply and the lag shrinks tick after tick.
        eventually(Duration.ofSeconds(60), s -> assertThat(pair(s, "sub_copy").get("tableStates").toString()).isEqualTo("{\"r\":1}"));
        String[] inserts = new String[200];
        for (int i = 0; i < inserts.length; i++) {
            int from = 100_000 + i * 100;
            inserts[i] = "INSERT INTO big SELECT g, repeat('y', 150) FROM generate_series(" + from + ", " + (from + 99) + ") g";
        }
        clusters.source().execute("copy", inserts);
        eventually(Duration.ofSeconds(30), s -> {
            JsonNode trend = trend(s, "sub_copy");
            assertThat(trend.get("direction").asText()).as(trend + " lag history " + io.restassured.RestAssured.given()
                    .get("/api/history?series=pair/sub_copy/lag-bytes&window=1m").then().extract().asString()).isEqualTo("catching-up");
            assertThat(trend.get("etaSeconds").asDouble()).isPositive();
            assertThat(trend.get("text").asText()).contains("caught up in about");
        });
        eventually(Duration.ofSeconds(60), s -> assertThat(trend(s, "sub_copy").get("direction").asText()).isEqualTo("caught-up"));
        JsonNode history = io.pgrepmon.harness.Snapshots.parse(io.restassured.RestAssured.given()
                .get("/api/history?series=pair/sub_copy/lag-bytes&window=2m").then().statusCode(200).extract().asString());
        List<Double> values = new ArrayList<>();
        history.get("points").forEach(p -> values.add(p.get("v").asDouble()));
        assertThat(values).as("the lag went up and came back to 0").hasSizeGreaterThan(5);
        assertThat(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isGreaterThan(100_000);
        assertThat(values.get(values.size() - 1)).isZero();
        JsonNode catalog = io.pgrepmon.harness.Snapshots.parse(io.restassured.RestAssured.given().get("/api/history")
                .then().statusCode(200).extract().asString());
        assertThat(catalog.get("series").toString()).contains("pair/sub_copy/lag-bytes", "slot/src-lost/sub_lost/safe-wal-size");
        assertThat(catalog.get("bytes").asLong()).isEqualTo(catalog.get("series").size() * catalog.get("pointsPerSeries").asLong() * 16);
    }

    static JsonNode trend(JsonNode snapshot, String subject) {
        for (JsonNode t : snapshot.get("trends")) {
            if (t.get("subject").asText().equals(subject) && t.get("kind").asText().equals("lag")) {
                return t;
            }
        }
        throw new AssertionError("no trend for " + subject + " in " + snapshot.get("trends"));
    }

    /**
     * Row-level security on both sides (no policy: every row hidden from a role that does not bypass it) makes both
     * counts 0 and equal; the deep check's row_security = off makes the count fail instead, so it is unknown.
     */
    @Test
    void rowLevelSecurityMakesTheCountUnknownInsteadOfCountingWhatTheRoleMaySee() {
        for (var cluster : List.of(clusters.source(), clusters.target())) {
            cluster.execute("nopk", "GRANT SELECT ON events TO " + Replication.MONITOR_ROLE,
                    "ALTER TABLE events ENABLE ROW LEVEL SECURITY");
        }
        try {
            eventually(Duration.ofSeconds(30), s -> {
                io.restassured.RestAssured.given().post("/api/cutover/deep-check").then().statusCode(200);
                JsonNode counts = null;
                for (JsonNode v : latest().get("cutover")) {
                    if (v.get("pair").asText().equals("sub_nopk")) {
                        for (JsonNode c : v.get("checks")) {
                            if (c.get("id").asText().equals("row-counts")) {
                                counts = c;
                            }
                        }
                    }
                }
                assertThat(counts).isNotNull();
                assertThat(counts.get("result").asText()).as(counts.toString()).isEqualTo("unknown");
                assertThat(counts.get("items").toString()).contains("public.events: row-level security would hide rows"
                        + " from the monitor's role");
            });
        } finally {
            for (var cluster : List.of(clusters.source(), clusters.target())) {
                cluster.execute("nopk", "ALTER TABLE events DISABLE ROW LEVEL SECURITY",
                        "REVOKE SELECT ON events FROM " + Replication.MONITOR_ROLE);
            }
        }
    }
}

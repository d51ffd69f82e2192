package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.CutoverResource;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.harness.Snapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static io.pgrepmon.harness.CutoverResource.PAIR;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cutover readiness on a real pair: Unknown until the deep checks have run, Not ready while the target's sequence
 * is behind (with the statement that fixes it), Ready once it is fixed and the source is quiet, and each check
 * made to fail on its own, the verdict naming it.
 */
@QuarkusTest
@WithTestResource(CutoverResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CutoverTests {

    @InjectReplicationPair
    ReplicationPair pair;

    /** The pair's verdict; an answer without one (no snapshot yet, or a stale one) fails so that awaits retry. */
    static JsonNode verdict() {
        String body = given().get("/api/cutover/" + PAIR).then().extract().asString();
        JsonNode v = Snapshots.parse(body);
        if (v.get("verdict") == null) {
            throw new AssertionError("no verdict: " + body);
        }
        return v;
    }

    static JsonNode check(JsonNode verdict, String id) {
        return Snapshots.check(verdict, id);
    }

    static void deepCheck() {
        given().post("/api/cutover/deep-check").then().statusCode(200);
    }

    /** Runs the deep checks until the pair is Ready (they go stale whenever rows change on the source). */
    static void awaitReady() {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            deepCheck();
            Thread.sleep(1200); // the next tick includes them
            // One answer, as a cutover script reads it: the status and the verdict it carries.
            io.restassured.response.Response answer = given().get("/api/cutover/" + PAIR);
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            assertThat(Snapshots.parse(answer.asString()).get("verdict").asText()).isEqualTo("ready");
        });
    }

    static void awaitFailing(String id, String... evidence) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode v = verdict();
            assertThat(v.get("verdict").asText()).isEqualTo("not-ready");
            JsonNode c = check(v, id);
            assertThat(c.get("result").asText()).as(c.toString()).isEqualTo("fail");
            assertThat(c.toString()).contains(evidence);
            assertThat(v.get("summary").asText()).contains(id);
            assertThat(given().get("/api/cutover/" + PAIR).statusCode()).isEqualTo(503);
        });
    }

    @Test
    @Order(1)
    void unknownUntilTheDeepChecksHaveRun() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode v = verdict();
            assertThat(check(v, "tables-ready").get("result").asText()).isEqualTo("pass");
            assertThat(check(v, "subscription-running").get("result").asText()).isEqualTo("pass");
            assertThat(check(v, "caught-up").get("result").asText()).isEqualTo("pass");
            assertThat(check(v, "sequences").get("result").asText()).isEqualTo("unknown");
            assertThat(check(v, "sequences").get("evidence").asText()).contains("POST /api/cutover/deep-check");
            assertThat(v.get("verdict").asText()).isIn("unknown", "not-ready");
        });
        given().get("/api/cutover/" + PAIR).then().statusCode(503);
        given().get("/api/cutover/no-such-pair").then().statusCode(404);
        assertThat(given().get("/api/cutover").then().statusCode(200).extract().asString()).contains(PAIR);
    }

    @Test
    @Order(2)
    void sequenceBehindOnTheTargetIsNotReadyAndTheReportGivesTheFix() {
        deepCheck();
        awaitFailing("sequences", "public.orders_id_seq: behind");
        JsonNode report = verdict().get("sequences");
        JsonNode seq = report.get(0);
        assertThat(seq.get("sequence").asText()).isEqualTo("public.orders_id_seq");
        assertThat(seq.get("sourceValue").asLong()).isEqualTo(100);
        assertThat(seq.get("status").asText()).isEqualTo("behind");
        assertThat(seq.get("fix").asText()).isEqualTo("SELECT setval('public.orders_id_seq', 100, true);");
    }

    @Test
    @Order(3)
    void readyOnceTheSequenceIsFixedAndWritesHaveStopped() {
        String fix = verdict().get("sequences").get(0).get("fix").asText();
        pair.target().execute("shop", fix);
        awaitReady();
        JsonNode v = verdict();
        assertThat(v.get("summary").asText()).isEqualTo("ready: every check passes");
        assertThat(check(v, "row-counts").get("evidence").asText()).isEqualTo("3 table(s) with equal counts");
        assertThat(check(v, "source-quiet").get("evidence").asText()).contains("no row changed for");
    }

    @Test
    @Order(4)
    void eachCheckFailsOnItsOwnAndTheVerdictSaysWhich() {
        // A table left out of the publication.
        pair.source().execute("shop", "CREATE TABLE extra (id int PRIMARY KEY)");
        awaitFailing("publication-coverage", "public.extra: in no publication");
        pair.source().execute("shop", "DROP TABLE extra");
        awaitReady();

        // A row deleted on the target: the counts differ. It is put back as the source has it (content is compared).
        String restore = (String) pair.source().queryValue("shop", "SELECT format('INSERT INTO orders VALUES"
                + " (%s, %L, %s, %L, %L)', id, customer, amount, note, created_at) FROM orders WHERE id = 1");
        pair.target().execute("shop", "DELETE FROM orders WHERE id = 1");
        deepCheck();
        awaitFailing("row-counts", "public.orders: 100 on the source, 99 on the target");
        pair.target().execute("shop", restore);
        awaitReady();

        // A column added on the source only.
        pair.source().execute("shop", "ALTER TABLE items ADD COLUMN note text");
        deepCheck();
        awaitFailing("schema", "public.items: note text on the source, not on the target");
        pair.source().execute("shop", "ALTER TABLE items DROP COLUMN note");
        awaitReady();

        // A large object, which logical replication does not carry.
        pair.source().execute("shop", "SELECT lo_create(0)");
        awaitFailing("large-objects", "1 large object(s) on the source");
        pair.source().execute("shop", "SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
        awaitReady();

        // The subscription disabled.
        pair.target().execute("shop", "ALTER SUBSCRIPTION " + PAIR + " DISABLE");
        awaitFailing("subscription-running", "the subscription is disabled");
        pair.target().execute("shop", "ALTER SUBSCRIPTION " + PAIR + " ENABLE");
        awaitReady();

        // An apply error (a duplicate key on the target), and writes on the source meanwhile.
        pair.target().execute("shop", "INSERT INTO items VALUES (1000, 'target only')");
        pair.source().execute("shop", "INSERT INTO items VALUES (1000, 'from source')");
        awaitFailing("no-new-errors", "apply");
        assertThat(check(verdict(), "source-quiet").get("result").asText()).isIn("fail", "pass");
        pair.target().execute("shop", "DELETE FROM items WHERE id = 1000");
        awaitReady();
    }

    @Test
    @Order(5)
    void heartbeatMeasuresLagInSecondsEvenWhenTheSourceIsIdle() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode p = Snapshots.pair(Snapshots.latest(), PAIR);
            assertThat(p.get("lagMethod").asText()).startsWith("heartbeat");
            assertThat(p.get("lagSeconds").asDouble()).isBetween(0.0, 2.5);
        });
        // The source stays idle (no application writes); with the subscription stopped, only the heartbeat moves,
        // and the measured lag grows with the clock instead of reading 0.
        pair.target().execute("shop", "ALTER SUBSCRIPTION " + PAIR + " DISABLE");
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode p = Snapshots.pair(Snapshots.latest(), PAIR);
                assertThat(p.get("lagMethod").asText()).startsWith("heartbeat");
                assertThat(p.get("lagSeconds").asDouble()).isGreaterThan(4.0);
            });
            assertThat(check(verdict(), "source-quiet").get("result").asText())
                    .as("the monitor's own heartbeat does not count as writes").isEqualTo("pass");
        } finally {
            pair.target().execute("shop", "ALTER SUBSCRIPTION " + PAIR + " ENABLE");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Snapshots.pair(Snapshots.latest(), PAIR).get("lagSeconds").asDouble()).isLessThan(2.5));
    }

    @Test
    @Order(6)
    void coverageIsJudgedAgainstWhatTheSubscriptionReceivesNotAnyPublication() {
        awaitReady();
        // A table that only another publication publishes: no subscription from this source to this target gets it.
        pair.source().execute("shop", "CREATE TABLE extra (id int PRIMARY KEY)", "CREATE PUBLICATION pub_other FOR TABLE extra");
        awaitFailing("publication-coverage", "public.extra: published only by pub_other");
        pair.source().execute("shop", "DROP PUBLICATION pub_other", "DROP TABLE extra");
        awaitReady();

        // A subscribed table that is no longer published to the subscription, though another publication has it.
        pair.source().execute("shop", "CREATE PUBLICATION pub_items FOR TABLE items",
                "ALTER PUBLICATION pub_shop DROP TABLE items");
        awaitFailing("publication-coverage", "public.items: subscribed, but no longer published to it");
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop ADD TABLE items", "DROP PUBLICATION pub_items");
        awaitReady();
    }

    /** Column lists and row filters (15+): less than the whole table reaches the target unless declared so. */
    @Test
    @Order(7)
    void aTableSentInPartIsNotReadyUnlessDeclared() {
        awaitReady();
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET TABLE orders WHERE (id > 50), items, pgrepmon_heartbeat");
        awaitFailing("publication-coverage", "public.orders: pub_shop sends only rows where (id > 50)",
                "monitor.cutover.partial-tables");

        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET TABLE orders (id, customer, amount), items, pgrepmon_heartbeat");
        awaitFailing("publication-coverage", "public.orders: pub_shop sends only columns id, customer, amount (not note, created_at)");

        // items is declared sent in part: a row the filter holds back makes the counts differ, on purpose.
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET TABLE orders, items WHERE (id > 0), pgrepmon_heartbeat",
                "INSERT INTO items VALUES (-1, 'never sent')");
        awaitReady();
        JsonNode v = verdict();
        assertThat(check(v, "publication-coverage").get("evidence").asText())
                .contains("sent in part as declared: public.items (pub_shop sends only rows where (id > 0); declared by public.items)");
        String counted = check(v, "row-counts").get("items").get(0).asText();
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("public\\.items: not compared, its rows sent in part as"
                + " declared \\((\\d+) on the source, (\\d+) on the target\\)").matcher(counted);
        assertThat(rows.matches()).as(counted).isTrue();
        assertThat(Long.parseLong(rows.group(1)) - Long.parseLong(rows.group(2))).as("the row held back").isEqualTo(1);

        pair.source().execute("shop", "DELETE FROM items WHERE id = -1",
                "ALTER PUBLICATION pub_shop SET TABLE orders, items, pgrepmon_heartbeat");
        awaitReady();
        assertThat(check(verdict(), "publication-coverage").get("evidence").asText()).doesNotContain("declared");
    }

    /** Without a new deep check, the gate turns 503 within two ticks (and a tick's deadline) of the change. */
    static void awaitStale(String evidence) {
        await().atMost(Duration.ofMillis(2 * 1000 + 800 + 500)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode v = verdict();
            assertThat(v.get("verdict").asText()).isNotEqualTo("ready");
            for (String id : new String[]{"sequences", "row-counts", "schema"}) {
                JsonNode c = check(v, id);
                assertThat(c.get("result").asText()).as(c.toString()).isEqualTo("unknown");
                assertThat(c.get("evidence").asText()).contains(evidence);
            }
            assertThat(given().get("/api/cutover/" + PAIR).statusCode()).isEqualTo(503);
        });
    }

    /** The deep results rest on more than source row changes: a target write, DDL, TRUNCATE, a publication change. */
    @Test
    @Order(8)
    void readyTurns503WithoutADeepCheckWhenAnythingTheDeepResultsRestOnChanges() {
        awaitReady();
        pair.target().execute("shop", "DELETE FROM items WHERE id = 1");
        awaitStale("1 row change(s) on the target against 0 on the source (a write on the target");
        pair.target().execute("shop", "INSERT INTO items VALUES (1, 'item 1')");
        awaitReady();

        pair.source().execute("shop", "ALTER TABLE items ADD COLUMN size int");
        awaitStale("a table on the source was altered, truncated or rewritten");
        pair.source().execute("shop", "ALTER TABLE items DROP COLUMN size");
        awaitReady();

        // TRUNCATE is not in the row counters; the table's new storage is in the fingerprint.
        pair.target().execute("shop", "BEGIN; TRUNCATE items; INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g;"
                + " INSERT INTO items VALUES (1000, 'from source'); COMMIT");
        awaitStale("a table on the target was altered, truncated or rewritten");
        awaitReady();

        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET (publish = 'insert, update, delete')");
        awaitStale("a publication on the source changed");
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET (publish = 'insert, update, delete, truncate')");
        awaitReady();

        // A sequence used on the source without a row written (nextval alone).
        pair.source().execute("shop", "SELECT nextval('orders_id_seq')");
        awaitStale("a sequence moved on the source");
        deepCheck();
        awaitFailing("sequences", "public.orders_id_seq: behind");
        pair.target().execute("shop", verdict().get("sequences").get(0).get("fix").asText());
        awaitReady();
    }

    /** A prepared transaction has no session left, yet can still commit: the source is not quiet. */
    @Test
    @Order(9)
    void aPreparedTransactionOnTheSourceIsAWriteStillToCome() {
        awaitReady();
        pair.source().execute("shop", "BEGIN; INSERT INTO items VALUES (2000, 'prepared'); PREPARE TRANSACTION 'cutover_test'");
        try {
            awaitFailing("source-quiet", "1 prepared transaction(s) can still COMMIT PREPARED");
        } finally {
            pair.source().execute("shop", "ROLLBACK PREPARED 'cutover_test'");
        }
        awaitReady();
    }

    /** Same names and types are not the same schema: NOT NULL and the unique keys decide what the target accepts. */
    @Test
    @Order(10)
    void aConstraintOnTheSourceOnlyFailsTheSchemaCheck() {
        awaitReady();
        pair.source().execute("shop", "ALTER TABLE items ALTER COLUMN name SET NOT NULL",
                "CREATE UNIQUE INDEX items_name_key ON items (name)");
        deepCheck();
        awaitFailing("schema", "public.items: name is text NOT NULL on the source, text on the target",
                "public.items: UNIQUE (name) on the source, not on the target");
        pair.source().execute("shop", "ALTER TABLE items ALTER COLUMN name DROP NOT NULL", "DROP INDEX items_name_key");
        awaitReady();

        // The same key on both sides, but it accepts different values: NULLS NOT DISTINCT (15+) on the source only,
        // and a column collation that decides what "equal" and "ordered" mean.
        pair.source().execute("shop", "CREATE UNIQUE INDEX items_name_key ON items (name) NULLS NOT DISTINCT",
                "ALTER TABLE orders ALTER COLUMN customer TYPE text COLLATE \"C\"");
        pair.target().execute("shop", "CREATE UNIQUE INDEX items_name_key ON items (name)");
        awaitStale("a table on the source was altered, truncated or rewritten");
        deepCheck();
        awaitFailing("schema", "public.items: UNIQUE (name) NULLS NOT DISTINCT on the source, not on the target",
                "public.items: UNIQUE (name) on the target only",
                // (the check as JSON: the collation's quotes are escaped)
                "public.orders: customer is text COLLATE \\\"C\\\" NOT NULL on the source, text NOT NULL on the target");
        pair.source().execute("shop", "DROP INDEX items_name_key", "ALTER TABLE orders ALTER COLUMN customer TYPE text COLLATE \"default\"");
        pair.target().execute("shop", "DROP INDEX items_name_key");
        awaitReady();
    }

    /** Equal counts, one value changed on the target only: the content comparison finds the key range. */
    @Test
    @Order(11)
    void aRowThatDiffersInContentOnlyIsNotReady() {
        awaitReady();
        assertThat(check(verdict(), "content").get("evidence").asText()).contains("equal in content");
        pair.target().execute("shop", "UPDATE items SET name = 'tampered' WHERE id = 2");
        deepCheck();
        awaitFailing("content", "public.items: rows differ in key range (start .. end)");
        // (the tick that follows a deep check hashes the table definitions it rests on)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(check(verdict(), "row-counts").get("result").asText()).as("the counts are equal").isEqualTo("pass"));
        pair.target().execute("shop", "UPDATE items SET name = 'item 2' WHERE id = 2");
        awaitReady();
    }

    /** The one call a cutover script makes after stopping writes: the deep checks now, and the verdict they lead to. */
    @Test
    @Order(12)
    void verifyRunsTheDeepChecksNowAndAnswersWithTheVerdict() throws Exception {
        awaitReady();
        String restore = (String) pair.source().queryValue("shop", "SELECT format('INSERT INTO items VALUES (%s, %L)',"
                + " id, name) FROM items WHERE id = 5");
        long items = ((Number) pair.source().queryValue("shop", "SELECT count(*) FROM items")).longValue();
        long orders = ((Number) pair.source().queryValue("shop", "SELECT count(*) FROM orders")).longValue();
        pair.target().execute("shop", "DELETE FROM items WHERE id = 5");
        JsonNode notReady = Snapshots.parse(given().post("/api/cutover/" + PAIR + "/verify").then().statusCode(409)
                .extract().asString());
        assertThat(check(notReady, "row-counts").get("items").toString()).contains("public.items: " + items + " on the source, " + (items - 1) + " on the target");
        pair.target().execute("shop", restore);

        // Two scripts asking at once both get the verdict (calls in flight together share one run). The restored row
        // and the heartbeat may still be in flight for the tick that answers (received ahead of applied: caught-up
        // fails, 409), and a script then asks again.
        java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    given().post("/api/cutover/" + PAIR + "/verify").then().extract());
            var second = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    given().post("/api/cutover/" + PAIR + "/verify").then().extract());
            var a = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
            var b = second.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a.statusCode()).as(a.asString()).isEqualTo(200);
            assertThat(b.statusCode()).as(b.asString()).isEqualTo(200);
            answer.set(a.asString());
        });
        JsonNode verified = Snapshots.parse(answer.get());
        assertThat(verified.get("verdict").asText()).isEqualTo("ready");
        JsonNode progress = verified.get("contentProgress");
        assertThat(progress.get("running").asBoolean()).isFalse();
        assertThat(progress.get("tables").asInt()).as("orders and items; the heartbeat is the monitor's own").isEqualTo(2);
        assertThat(progress.get("tablesDone").asInt()).isEqualTo(2);
        assertThat(progress.get("rowsDone").asLong()).as(progress.toString()).isEqualTo(progress.get("rows").asLong())
                .isEqualTo(items + orders);
        given().post("/api/cutover/no-such-pair/verify").then().statusCode(404);

        // The migration between the two databases, over every subscription between them (here one).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            io.restassured.response.Response m = given().get("/api/cutover/migrations/source/target");
            assertThat(m.statusCode()).as(m.asString()).isEqualTo(200);
            JsonNode migration = Snapshots.parse(m.asString());
            assertThat(migration.get("summary").asText()).isEqualTo("ready: all 1 pair(s) between source and target are ready");
            assertThat(migration.get("pairs").get(0).get("pair").asText()).isEqualTo(PAIR);
        });
        assertThat(given().get("/api/cutover/migrations/target/source").then().statusCode(404).extract().asString())
                .contains("source -> target");
    }

    /** setval(..., false) leaves pg_sequences without a value: the source's next value is still compared. */
    @Test
    @Order(13)
    void aSourceSequenceResetWithSetvalFalseIsStillCompared() {
        awaitReady();
        pair.source().execute("shop", "SELECT setval('orders_id_seq', 500, false)");
        deepCheck();
        awaitFailing("sequences", "public.orders_id_seq: behind");
        JsonNode seq = verdict().get("sequences").get(0);
        assertThat(seq.get("sourceValue").asLong()).as("the value before the source's next, 500").isEqualTo(499);
        pair.target().execute("shop", seq.get("fix").asText());
        awaitReady();
    }

    /** A publication that does not publish every operation leaves the target holding rows the source deleted. */
    @Test
    @Order(14)
    void aPublicationThatDoesNotPublishDeletesIsNotReady() {
        awaitReady();
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET (publish = 'insert, update')");
        awaitFailing("publication-coverage",
                "public.orders: pub_shop does not publish delete, truncate, so the target misses those changes");
        deepCheck();
        awaitFailing("publication-coverage", "public.orders: pub_shop does not publish delete, truncate");
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop SET (publish = 'insert, update, delete, truncate')");
        awaitReady();
    }

    /** A session on the target with a write still open can commit rows the source never had. */
    @Test
    @Order(15)
    void aTransactionWritingOnTheTargetIsNotReady() throws Exception {
        awaitReady();
        try (java.sql.Connection writer = pair.target().connect("shop")) {
            writer.setAutoCommit(false);
            writer.createStatement().execute("INSERT INTO items VALUES (9000, 'written on the target')");
            awaitFailing("target-quiet", "1 transaction(s) on the target writing now, by sessions other than the"
                    + " subscriptions' workers");
            writer.rollback();
        }
        awaitReady();
    }

    /**
     * A batch procedure on the source (write, COMMIT, sleep, write again) holds no transaction id while it sleeps and
     * publishes its row counters only when it ends: the source looks quiet, yet its next batch would reach the old
     * source after the switch.
     */
    @Test
    @Order(19)
    void aBatchProcedureSleepingBetweenItsCommitsKeepsTheSourceFromBeingQuiet() throws Exception {
        awaitReady();
        pair.source().execute("shop", """
                CREATE PROCEDURE backfill(first int) LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO items VALUES (first, 'first batch');
                  COMMIT;
                  PERFORM pg_sleep(120);
                  INSERT INTO items VALUES (first + 1, 'second batch');
                  COMMIT;
                END $$""");
        // As a scheduler sends it: a comment first.
        whileABackfillSleeps(7001, "", () -> {
            awaitFailing("source-quiet", "1 session(s) on the source running a procedure or DO block");
            await().pollDelay(CutoverResource.WINDOW.plusSeconds(2)).atMost(CutoverResource.WINDOW.plusSeconds(30)).untilAsserted(() ->
                    assertThat(check(verdict(), "source-quiet").get("evidence").asText())
                            .startsWith("1 session(s) on the source running a procedure or DO block"));
            assertThat(verdict().get("verdict").asText()).isNotEqualTo("ready");
        });
        awaitReady();
        // A session with track_activities off shows no statement: the procedure cannot be seen, so quiet is unknown.
        whileABackfillSleeps(7003, "SET track_activities = off", () -> {
            await().pollDelay(CutoverResource.WINDOW.plusSeconds(2)).atMost(CutoverResource.WINDOW.plusSeconds(30)).untilAsserted(() -> {
                JsonNode v = verdict();
                JsonNode quiet = check(v, "source-quiet");
                assertThat(quiet.get("result").asText()).as(quiet.toString()).isEqualTo("unknown");
                assertThat(quiet.get("evidence").asText()).startsWith("1 session(s) on the source run with track_activities off");
                assertThat(v.get("verdict").asText()).isEqualTo("unknown");
            });
        });
        pair.source().execute("shop", "DROP PROCEDURE backfill(int)");
        awaitReady();
    }

    /**
     * Calls the backfill in a session of its own (after {@code setup}, when given), waits for its first batch on the
     * target, checks while it sleeps before the second, then ends the session and removes its rows.
     */
    void whileABackfillSleeps(int first, String setup, Runnable checks) throws Exception {
        java.util.concurrent.atomic.AtomicInteger pid = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<Void> call = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (java.sql.Connection c = pair.source().connect("shop")) {
                if (!setup.isEmpty()) {
                    c.createStatement().execute(setup);
                }
                java.sql.ResultSet own = c.createStatement().executeQuery("SELECT pg_backend_pid()");
                own.next();
                pid.set(own.getInt(1));
                c.createStatement().execute("/* nightly backfill */ CALL backfill(" + first + ")");
            } catch (java.sql.SQLException ended) {
                // Its session is ended below, once the checks have seen it.
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> io.pgrepmon.harness.Replication.count(pair.target(), "shop",
                    "SELECT count(*) FROM items WHERE id = " + first) == 1);
            checks.run();
        } finally {
            await().atMost(Duration.ofSeconds(10)).until(() -> pid.get() != 0);
            pair.source().execute("shop", "SELECT pg_terminate_backend(" + pid.get() + ")");
            call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            pair.source().execute("shop", "DELETE FROM items WHERE id >= 7000");
        }
    }

    /**
     * Tables created UNLOGGED on the target to speed up the initial copy, and a sequence with another increment (or
     * unlogged): a crash or failover after the switch empties the table and sends the sequence back, and a smaller
     * increment reuses the blocks a pooled id allocator took on the source.
     */
    @Test
    @Order(20)
    void anUnloggedTableOrASequenceDefinedOtherwiseOnTheTargetFailsTheSchemaCheck() {
        failsSchemaUntilUndone(pair.target(), "ALTER TABLE items SET UNLOGGED", "ALTER TABLE items SET LOGGED", null,
                "public.items: UNLOGGED (a crash or failover empties it) on the target only");
        failsSchemaUntilUndone(pair.source(), "ALTER SEQUENCE orders_id_seq INCREMENT BY 50",
                "ALTER SEQUENCE orders_id_seq INCREMENT BY 1", null,
                "public.orders_id_seq: sequence INCREMENT BY 50 on the source, 1 on the target");
        // Made unlogged after a deep check: what it read no longer holds, before any new deep check.
        failsSchemaUntilUndone(pair.target(), "ALTER SEQUENCE orders_id_seq SET UNLOGGED",
                "ALTER SEQUENCE orders_id_seq SET LOGGED", "a sequence moved on the target",
                "public.orders_id_seq: sequence UNLOGGED on the target only (a crash or failover sends it back)");
    }

    /** From Ready, a change on one side fails {@code schema} at the next deep check (stale before it, if given). */
    static void failsSchemaUntilUndone(io.pgrepmon.harness.PgCluster side, String change, String undo, String stale, String evidence) {
        awaitReady();
        side.execute("shop", change);
        try {
            if (stale != null) {
                awaitStale(stale);
            }
            deepCheck();
            awaitFailing("schema", evidence);
        } finally {
            side.execute("shop", undo);
        }
        awaitReady();
    }

    long targetRowChanges(String table) {
        return ((Number) pair.target().queryValue("shop", "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
                + " WHERE relname = '" + table + "'")).longValue();
    }

    static JsonNode verifyAnswer() {
        return Snapshots.parse(given().post("/api/cutover/" + PAIR + "/verify").then().extract().asString());
    }

    /**
     * After writes stop, the gate hashes again only the tables written since their proof; an untouched table keeps
     * it. Equal changes on both sides are no evidence: a source transaction that rolled back counts an insert the
     * target never receives, and one write on the target evens the counters out, with a row that differs.
     */
    @Test
    @Order(16)
    void theGateCarriesProofsOnlyOfUntouchedTablesAndARolledBackSourceWriteCannotHideATargetWrite() throws Exception {
        awaitReady();
        // The proof of items is settled: a verify carries it.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(check(verifyAnswer(), "content")
                .get("evidence").asText()).contains("not hashed again").contains("public.items"));
        String restore = (String) pair.source().queryValue("shop", "SELECT format('UPDATE items SET name = %L WHERE id = 2',"
                + " name) FROM items WHERE id = 2");
        try (java.sql.Connection retry = pair.source().connect("shop")) {
            retry.setAutoCommit(false);
            retry.createStatement().execute("INSERT INTO items VALUES (8000, 'an insert rolled back')");
            retry.rollback();
        }
        pair.target().execute("shop", "UPDATE items SET name = 'written on the target' WHERE id = 2");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode content = check(verifyAnswer(), "content");
            assertThat(content.get("result").asText()).as(content.toString()).isEqualTo("fail");
            assertThat(content.toString()).contains("public.items: rows differ in key range");
        });
        pair.target().execute("shop", restore);
        awaitReady();

        // Both proofs settled (a verify carries both), then a replicated change to orders only.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(check(verifyAnswer(), "content")
                .get("evidence").asText()).contains("not hashed again").contains("public.items").contains("public.orders"));
        long before = targetRowChanges("orders");
        pair.source().execute("shop", "UPDATE orders SET note = 'changed on the source' WHERE id = 1");
        await().atMost(Duration.ofSeconds(20)).until(() -> targetRowChanges("orders") == before + 1);
        // Once a tick has seen the change (a verify begun before would find its own run stale, and the next carry it).
        awaitStale("rows changed on the source after the deep check");
        JsonNode proven = check(verifyAnswer(), "content");
        assertThat(proven.get("result").asText()).as(proven.toString()).isEqualTo("pass");
        assertThat(proven.get("evidence").asText()).contains("proven by an earlier run and unchanged since on either"
                + " side, not hashed again").contains("public.items").doesNotContain("public.orders");
    }

    /** A trigger on the target that fires for replicated changes writes what the source never had. */
    @Test
    @Order(17)
    void aTriggerOnTheTargetThatFiresForReplicatedChangesFailsTheSchemaCheck() {
        awaitReady();
        pair.target().execute("shop", "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN NEW.name := NEW.name || ' (stamped)'; RETURN NEW; END $$",
                "CREATE TRIGGER stamp BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION stamp()",
                "ALTER TABLE items ENABLE ALWAYS TRIGGER stamp");
        awaitStale("a table on the target was altered, truncated or rewritten");
        deepCheck();
        awaitFailing("schema", "public.items: TRIGGER stamp ENABLE ALWAYS (it fires for the changes replication applies)"
                + " on the target only");
        pair.target().execute("shop", "DROP TRIGGER stamp ON items", "DROP FUNCTION stamp()");
        awaitReady();
    }

    /**
     * A sequence redefined on the target after the deep check (its value unchanged) would hand out values the
     * source already used: what the deep check read no longer holds.
     */
    @Test
    @Order(18)
    void aSequenceRedefinedOnTheTargetAfterTheDeepCheckMakesItStale() {
        awaitReady();
        pair.target().execute("shop", "ALTER SEQUENCE orders_id_seq INCREMENT BY -1 MINVALUE -1000");
        try {
            awaitStale("a sequence moved on the target");
        } finally {
            pair.target().execute("shop", "ALTER SEQUENCE orders_id_seq INCREMENT BY 1 MINVALUE 1");
        }
        awaitReady();
    }

    /**
     * An identity column drawing on a sequence named otherwise on the target (a schema built from fresh DDL): the
     * sequence the source's identity draws on is reported missing, and once created and set on the target, the
     * sequences compared by name agree while the target's identity still starts where its own sequence stands.
     */
    @Test
    @Order(21)
    void anIdentityDrawingOnAnotherSequenceOnTheTargetFailsTheSchemaCheck() {
        awaitReady();
        pair.source().execute("shop", "CREATE TABLE tickets (id bigint GENERATED BY DEFAULT AS IDENTITY"
                + " (SEQUENCE NAME public.tickets_pk_seq) PRIMARY KEY, v text)");
        pair.target().execute("shop", "CREATE TABLE tickets (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
        pair.source().execute("shop", "ALTER PUBLICATION pub_shop ADD TABLE tickets",
                "INSERT INTO tickets (v) SELECT 'ticket ' || g FROM generate_series(1, 5) g");
        pair.target().execute("shop", "ALTER SUBSCRIPTION sub_shop REFRESH PUBLICATION");
        try {
            io.pgrepmon.harness.Replication.awaitTablesReady(pair.target(), "shop", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> io.pgrepmon.harness.Replication.count(pair.target(), "shop",
                    "SELECT count(*) FROM tickets") == 5);
            // What the sequence report asks for, done: the source's sequence made and set on the target.
            pair.target().execute("shop", "CREATE SEQUENCE public.tickets_pk_seq", "SELECT setval('public.tickets_pk_seq', 5, true)");
            // The deep checks again until their results are not stale (the table's sync settles in these seconds):
            // each poll reads the verdict of a tick after the previous poll's deep check, then runs one more.
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(1500)).untilAsserted(() -> {
                String schema = check(verdict(), "schema").get("result").asText();
                deepCheck();
                assertThat(schema).isEqualTo("fail");
            });
            awaitFailing("schema", "public.tickets: id is bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY (SEQUENCE"
                    + " public.tickets_pk_seq) on the source, bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY (SEQUENCE"
                    + " public.tickets_id_seq) on the target");
        } finally {
            pair.source().execute("shop", "ALTER PUBLICATION pub_shop DROP TABLE tickets", "DROP TABLE tickets");
            pair.target().execute("shop", "ALTER SUBSCRIPTION sub_shop REFRESH PUBLICATION", "DROP TABLE tickets",
                    "DROP SEQUENCE IF EXISTS public.tickets_pk_seq");
        }
        awaitReady();
    }
}

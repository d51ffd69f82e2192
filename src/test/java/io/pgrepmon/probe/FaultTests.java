package io.pgrepmon.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.config.Role;
import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClient;
import io.pgrepmon.db.DatabaseClients;
import io.pgrepmon.harness.FaultResource;
import io.pgrepmon.harness.FaultResource.Faults;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.SocketClient;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Summary;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.publish.SnapshotHub;
import io.pgrepmon.serve.web.SnapshotFanout;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on real servers (see {@link FaultResource}). In each, a witness samples the snapshot four times a second
 * and checks that the healthy database keeps being polled on schedule, so that no fault holds up the others.
 */
@QuarkusTest
@WithTestResource(FaultResource.class)
class FaultTests {

    /** Interval 1 s, deadline 700 ms: the healthy database's poll time never lags by more than this. */
    static final long MAX_GAP_MILLIS = 2600;

    @InjectReplicationPair
    Faults faults;

    @Inject
    DatabaseClients clients;

    @Inject
    Settings settings;

    @Inject
    SnapshotHub hub;

    @Inject
    SnapshotFanout fanout;

    @TestHTTPResource("/api/ws")
    URI socket;

    private Witness witness;

    /**
     * Samples the steady database's poll time in the background and keeps the largest gap between two polls. It reads
     * the hub in-process (what /api/snapshot serves) rather than over HTTP: a client's sockets, closed only when
     * collected, would otherwise show in the flapping test's count of the monitor's file descriptors.
     */
    static final class Witness implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong maxGap = new AtomicLong();
        private final Thread thread;

        Witness(SnapshotHub hub) {
            thread = new Thread(() -> {
                Instant last = null;
                while (running.get()) {
                    try {
                        Instant polled = hub.latest().orElseThrow().snapshot().databases().stream()
                                .filter(d -> d.name().equals("steady")).findFirst().orElseThrow().polledAt();
                        if (last != null && polled.isAfter(last)) {
                            maxGap.accumulateAndGet(Duration.between(last, polled).toMillis(), Math::max);
                        }
                        last = polled;
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException | AssertionError ignored) {
                        // before the first snapshot
                    }
                }
            }, "witness");
            thread.setDaemon(true);
            thread.start();
        }

        long maxGapMillis() {
            return maxGap.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }

    @BeforeEach
    void allUp() {
        faults.proxy().forwarding(true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode s = latest();
            for (String name : List.of("steady", "victim", "flaky")) {
                assertThat(database(s, name).get("reachable").asBoolean()).as(name).isTrue();
            }
        });
        witness = new Witness(hub);
    }

    @AfterEach
    void othersStayedOnSchedule() throws InterruptedException {
        if (witness == null) {
            return;
        }
        witness.close();
        assertThat(witness.maxGapMillis()).as("largest gap between two polls of the healthy database")
                .isLessThanOrEqualTo(MAX_GAP_MILLIS);
    }

    static JsonNode db(String name) {
        return database(latest(), name);
    }

    @Test
    void blackholedHostIsDownAtItsDeadline() throws InterruptedException {
        Thread.sleep(4000);
        JsonNode blackholed = db("blackholed");
        assertThat(blackholed.get("reachable").asBoolean()).isFalse();
        assertThat(blackholed.get("error").asText()).containsAnyOf("timed out", "no answer within");
        assertThat(blackholed.get("pollMillis").asLong()).as("connect timeout 500 ms, deadline 700 ms").isLessThan(1000);
        assertThat(blackholed.get("health").get("status").asText()).isEqualTo("down");
    }

    @Test
    void serverStoppedImmediatelyIsDownThenBackWithinTwoIntervals() throws InterruptedException {
        Thread.sleep(300); // land in the middle of a tick
        faults.victim().stopServer("immediate");
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(db("victim").get("reachable").asBoolean()).isFalse());
        Thread.sleep(1500);
        faults.victim().startServer();
        Instant started = Instant.now();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(db("victim").get("reachable").asBoolean()).isTrue());
        assertThat(Duration.between(started, Instant.now()).toMillis()).as("back within two intervals").isLessThanOrEqualTo(2200);
    }

    @Test
    void terminatedBackendIsReplacedOnTheNextPoll() {
        long killed = Replication.count(faults.victim(), "postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = '" + DatabaseClient.APPLICATION_NAME + "' AND datname = 'postgres'");
        assertThat(killed).isEqualTo(1);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(db("victim").get("reachable").asBoolean()).isTrue();
            assertThat(Replication.count(faults.victim(), "postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                    + DatabaseClient.APPLICATION_NAME + "' AND datname = 'postgres'")).isEqualTo(1);
        });
    }

    /** A lock on a catalog fails the probes that read it at once (lock_timeout), and the others still answer. */
    @Test
    void catalogLockFailsOnlyTheProbesThatReadIt() throws Exception {
        try (Connection lock = faults.victim().connect("postgres")) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE pg_catalog.pg_publication IN ACCESS EXCLUSIVE MODE");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode victim = db("victim");
                assertThat(victim.get("reachable").asBoolean()).isTrue();
                assertThat(victim.get("health").toString()).contains("lock timeout");
                assertThat(victim.get("probes").toString()).contains("\"probe\":\"slots\"");
                assertThat(victim.get("pollMillis").asLong()).as("each blocked probe gives up after 100 ms").isLessThan(700);
            });
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(db("victim").get("health").get("status").asText()).isEqualTo("healthy"));
    }

    /**
     * ALTER TABLE, TRUNCATE or VACUUM FULL on one table holds an ACCESS EXCLUSIVE lock; a probe that opened the table
     * (its size, its row filter's or its indexes' text) would wait behind it until the deadline, with every probe
     * after it on the connection, and the whole source would be Down.
     */
    @Test
    void lockOnOneTableDelaysNoProbe() throws Exception {
        faults.victim().execute("postgres",
                "CREATE TABLE IF NOT EXISTS held (id int PRIMARY KEY, note text DEFAULT 'x' CHECK (note <> ''))",
                "CREATE INDEX IF NOT EXISTS held_note ON held (lower(note))",
                "CREATE SEQUENCE IF NOT EXISTS held_seq",
                "DROP PUBLICATION IF EXISTS held_pub",
                "CREATE PUBLICATION held_pub FOR TABLE held WHERE (id > 0)");
        try (Connection lock = faults.victim().connect("postgres")) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
            lock.createStatement().execute("ALTER SEQUENCE held_seq RESTART");
            Instant locked = Instant.now();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode victim = db("victim");
                assertThat(Instant.parse(victim.get("polledAt").asText())).as("a poll begun after the lock").isAfter(locked.plusSeconds(2));
                assertThat(victim.get("reachable").asBoolean()).as(victim.toString()).isTrue();
                List<String> failed = new ArrayList<>();
                victim.get("probes").forEach(p -> {
                    if (p.hasNonNull("error")) {
                        failed.add(p.get("probe").asText() + ": " + p.get("error").asText());
                    }
                });
                assertThat(failed).as("probes that failed").isEmpty();
                assertThat(victim.get("pollMillis").asLong()).as("poll time with the lock held").isLessThan(500);
                assertThat(victim.get("tables").toString()).contains("\"name\":\"held\"");
                assertThat(victim.get("publicationFilters").toString()).contains("held_pub", "not shown while the table is locked");
            });
            // A sequence whose value could not be read never matches itself: what rests on it is unknown, not equal.
            DatabaseReader reader = new DatabaseReader(settings.get().poll().queryTimeout(), settings.get().poll().catalogInterval());
            DatabaseClient victim = clients.all().stream().filter(c -> c.settings().name().equals("victim")).findFirst().orElseThrow();
            String once = reader.read(victim).await().atMost(Duration.ofSeconds(5)).rows(FingerprintProbe.class).get(0).sequences();
            String again = reader.read(victim).await().atMost(Duration.ofSeconds(5)).rows(FingerprintProbe.class).get(0).sequences();
            assertThat(again).as("sequences part of two reads while held_seq is locked").isNotEqualTo(once);
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(db("victim").get("publicationFilters").toString()).contains("(id > 0)"));
    }

    /**
     * The tick's fingerprint takes its row changes from the activity statement (one sum per tick); when that
     * statement fails, the fingerprint is reported failed instead of carrying a made-up count into the cutover.
     */
    @Test
    void theTicksFingerprintCountsRowsThroughTheActivityProbe() {
        DatabaseReader reader = new DatabaseReader(settings.get().poll().queryTimeout(), settings.get().poll().catalogInterval());
        DatabaseClient victim = clients.all().stream().filter(c -> c.settings().name().equals("victim")).findFirst().orElseThrow();
        faults.victim().execute("postgres", "CREATE TABLE IF NOT EXISTS counted (id int PRIMARY KEY)",
                "INSERT INTO counted SELECT g FROM generate_series(1, 7) g ON CONFLICT DO NOTHING");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            DatabaseReading read = reader.read(victim).await().atMost(Duration.ofSeconds(5));
            long fromActivity = read.rows(ActivityProbe.class).get(0).rowChanges();
            assertThat(fromActivity).as("rows changed in the victim's user tables").isGreaterThanOrEqualTo(7);
            assertThat(read.rows(FingerprintProbe.class).get(0).rowChanges()).isEqualTo(fromActivity);
        });
        faults.victim().execute("postgres", "REVOKE SELECT ON pg_largeobject_metadata FROM PUBLIC");
        try {
            DatabaseReading read = reader.read(victim).await().atMost(Duration.ofSeconds(5));
            assertThat(read.answered(ActivityProbe.class)).as("the activity probe, its catalog revoked").isFalse();
            assertThat(read.answered(FingerprintProbe.class)).as("the fingerprint without its row changes").isFalse();
            assertThat(read.probes()).anySatisfy(p -> {
                assertThat(p.probe()).isEqualTo(FingerprintProbe.NAME);
                assertThat(p.error()).contains("activity probe");
            });
        } finally {
            faults.victim().execute("postgres", "GRANT SELECT ON pg_largeobject_metadata TO PUBLIC");
        }
    }

    @Test
    void revokedPrivilegeTurnsTheDatabaseWarningInsteadOfStayingGreen() {
        faults.victim().execute("postgres", "REVOKE pg_monitor FROM " + Replication.MONITOR_ROLE);
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode victim = db("victim");
                assertThat(victim.get("health").get("status").asText()).isEqualTo("warning");
                assertThat(victim.get("privileges").toString()).contains("lacks pg_read_all_stats", "GRANT pg_monitor TO monitor");
            });
        } finally {
            faults.victim().execute("postgres", "GRANT pg_monitor TO " + Replication.MONITOR_ROLE);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(db("victim").get("privileges")).isEmpty());
    }

    /**
     * A database that answers, but later than its deadline, is Down for it and keeps its connection: the next tick
     * waits for the poll still running instead of connecting (and authenticating) again, which at fleet scale made
     * every missed deadline cost the next tick more.
     */
    @Test
    void slowAnswersKeepTheirConnection() throws InterruptedException {
        int before = faults.proxy().accepted();
        long fromTick = latest().get("sequence").asLong();
        faults.proxy().delayReplies(Duration.ofMillis(900));
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(db("flaky").get("error").asText()).contains("no answer within 700 ms"));
            await().atMost(Duration.ofSeconds(10)).until(() -> latest().get("sequence").asLong() >= fromTick + 5);
        } finally {
            faults.proxy().delayReplies(Duration.ZERO);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db("flaky").get("reachable").asBoolean()).isTrue());
        assertThat(faults.proxy().accepted() - before).as("connections opened through the slow spell").isZero();
    }

    @Test
    void exhaustedMaxConnectionsIsReportedWithoutARetryStorm() throws Exception {
        List<Connection> fillers = new ArrayList<>();
        try {
            // The monitor reconnects as soon as its backends are gone and may take a slot back before the fillers
            // have them all; it keeps that connection, so end it again until the fillers hold every user slot.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Replication.count(faults.victim(), "postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = '" + DatabaseClient.APPLICATION_NAME + "'");
                while (fillers.size() < FaultResource.USER_SLOTS) {
                    try {
                        fillers.add(faults.victim().connectAs("postgres", "filler", "filler"));
                    } catch (java.sql.SQLException full) {
                        break;
                    }
                }
                return fillers.size() == FaultResource.USER_SLOTS;
            });
            int before = tooManyClients();
            Instant start = Instant.now();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(db("victim").get("error").asText()).contains("(53300)", "max_connections"));
            Thread.sleep(5000);
            long seconds = Duration.between(start, Instant.now()).toSeconds() + 1;
            int refused = tooManyClients() - before;
            // Two databases (victim and flaky) on that server, one attempt each per tick at most.
            assertThat(refused).as("refused connection attempts in %d s", seconds).isPositive().isLessThanOrEqualTo((int) (2 * seconds + 2));
        } finally {
            for (Connection c : fillers) {
                c.close();
            }
        }
    }

    private int tooManyClients() {
        return (int) faults.victim().serverLog().lines()
                .filter(l -> l.contains("too many clients") || l.contains("remaining connection slots are reserved")).count();
    }

    @Test
    void flappingDatabaseForHundredsOfPollsLeaksNothing() throws Exception {
        DatabaseReader reader = new DatabaseReader(settings.get().poll().queryTimeout(), settings.get().poll().catalogInterval());
        DatabaseClient flaky = clients.all().stream().filter(c -> c.settings().name().equals("flaky")).findFirst().orElseThrow();
        for (int i = 0; i < 20; i++) {
            reader.read(flaky).await().atMost(Duration.ofSeconds(5));
        }
        long fdsBefore = openFiles();
        long heapBefore = usedHeapAfterGc();
        int down = 0;
        int maxSessions = 0;
        for (int i = 0; i < 400; i++) {
            if (i % 20 == 0) {
                faults.proxy().forwarding((i / 20) % 2 == 0);
            }
            if (i % 7 == 3) {
                faults.proxy().cutAll();
            }
            if (!reader.read(flaky).await().atMost(Duration.ofSeconds(5)).reachable()) {
                down++;
            }
            if (i % 2 == 0) {
                maxSessions = (int) Math.max(maxSessions, Replication.count(faults.victim(), "postgres",
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'flaky' AND application_name = '"
                                + DatabaseClient.APPLICATION_NAME + "'"));
            }
        }
        faults.proxy().forwarding(true);
        reader.read(flaky).await().atMost(Duration.ofSeconds(5));
        long fdsAfter = openFiles();
        long heapAfter = usedHeapAfterGc();
        assertThat(down).as("the proxy really flapped").isBetween(100, 350);
        assertThat(maxSessions).as("sessions on the server, pool size 1").isLessThanOrEqualTo(1);
        assertThat(faults.proxy().maxOpen()).as("connections open at once through the proxy").isLessThanOrEqualTo(1);
        assertThat(fdsAfter - fdsBefore).as("file descriptors %d -> %d", fdsBefore, fdsAfter).isLessThanOrEqualTo(20);
        assertThat(heapAfter - heapBefore).as("heap %d -> %d bytes", heapBefore, heapAfter).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void webSocketClientThatStopsReadingHoldsAtMostOneSnapshot() throws Exception {
        // This test publishes its own snapshots, which hide the poller's from the witness: it has nothing to watch.
        witness.close();
        witness = null;
        Snapshot big = bigSnapshot(0);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress(socket.getHost(), socket.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/ws HTTP/1.1\r\nHost: " + socket.getHost() + ":" + socket.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = stalled.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 101");
            // From here on the stalled client reads nothing more.
            try (SocketClient reader = new SocketClient(socket)) {
                long heapBefore = usedHeapAfterGc();
                long base = 1_000_000_000L;
                for (int i = 1; i <= 150; i++) {
                    hub.publish(withSequence(big, base + i));
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    String raw = reader.nextRaw(Duration.ofSeconds(5));
                    assertThat(raw).isNotNull();
                    assertThat(raw).startsWith("{\"sequence\":" + (base + 150));
                });
                assertThat(fanout.waitingSnapshots()).as("waiting snapshots over all clients").isLessThanOrEqualTo(fanout.clientCount());
                long heapAfter = usedHeapAfterGc();
                assertThat(heapAfter - heapBefore).as("150 snapshots of %d bytes to a stalled client", json(big).length())
                        .isLessThan(64L * 1024 * 1024);
            }
        }
    }

    private String json(Snapshot snapshot) {
        hub.publish(snapshot);
        return hub.latest().orElseThrow().json();
    }

    /** About a megabyte of JSON: a source with 4000 tables. */
    static Snapshot bigSnapshot(long sequence) {
        List<TableInfo> tables = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            tables.add(new TableInfo(new TableReading("public", "table_with_a_rather_long_name_" + i, List.of("pub_all_tables"),
                    true, "default", true, 123_456_789L, 1_000_000L), new Health(Status.WARNING,
                    List.of("in no publication: its rows will not reach the target (padding the snapshot)"))));
        }
        DatabaseSnapshot db = new DatabaseSnapshot("synthetic", Role.SOURCE, "h", 5432, "app", true, Health.HEALTHY, null,
                Instant.now(), 1, null, Instant.now(), null, null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), tables, List.of(), null, null, null, null);
        return new Snapshot(sequence, Instant.now(), 1, 1000, Status.HEALTHY,
                new Summary(1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null), List.of(db), List.of(), List.of(), List.of(), null);
    }

    static Snapshot withSequence(Snapshot s, long sequence) {
        return new Snapshot(sequence, s.takenAt(), s.tookMillis(), s.intervalMillis(), s.status(), s.summary(), s.databases(), s.pairs(), s.cutover(), s.trends(), s.alerts());
    }

    static long openFiles() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}

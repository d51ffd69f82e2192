package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.pgrepmon.harness.Replication.MONITOR_PASSWORD;
import static io.pgrepmon.harness.Replication.MONITOR_ROLE;

/**
 * The clusters for the replication scenarios, each scenario in its own pair of databases so that one scenario's
 * damage (a conflict, a lost slot) never touches another's:
 * <ul>
 *   <li>{@code copy}: a table whose initial copy is slowed by an ALWAYS trigger on the target, subscribed by the test;</li>
 *   <li>{@code grow}: a subscription to which the test adds a table;</li>
 *   <li>{@code conflict}: a subscription the test breaks with a duplicate key;</li>
 *   <li>{@code nopk}: a published table without a primary key;</li>
 *   <li>{@code stall}: a subscription the test blocks with a lock on the target;</li>
 *   <li>{@code broken}: a subscription whose initial copy keeps failing (the target lacks a column);</li>
 *   <li>{@code lost}: on a third cluster with {@code max_slot_wal_keep_size = 1MB}, a slot the test makes lose its WAL;</li>
 *   <li>a streaming standby of the source, watched as a source;</li>
 *   <li>the {@code grow} databases watched a second time by a role without pg_monitor.</li>
 * </ul>
 * Versions: {@code -Dpg.source.major} and {@code -Dpg.target.major} (15 by default).
 */
public class ScenarioResource implements QuarkusTestResourceLifecycleManager {

    public static final String PLAIN_ROLE = "plain";
    public static final String PLAIN_PASSWORD = "plain-pw";
    /** Rows of the slowly copied table, about 200 bytes each. */
    public static final int COPY_ROWS = 20_000;
    public static final Duration ERROR_RECENT = Duration.ofSeconds(5);
    public static final Duration STALLED = Duration.ofSeconds(3);
    public static final Duration SYNC_STUCK = Duration.ofSeconds(4);

    private Scenarios scenarios;

    @Override
    public Map<String, String> start() {
        int sourceMajor = Integer.getInteger("pg.source.major", 15);
        int targetMajor = Integer.getInteger("pg.target.major", 15);
        // A blocked subscriber sends no replies: a long wal_sender_timeout keeps its walsender around to be seen stalled.
        PgCluster source = PgCluster.start("source", sourceMajor, Map.of("wal_sender_timeout", "'120s'",
                "max_wal_senders", "20", "max_replication_slots", "20"));
        // Five subscriptions and their table-sync workers: more than the default 4 logical replication workers.
        PgCluster target = PgCluster.start("target", targetMajor, Map.of("wal_retrieve_retry_interval", "'1s'",
                "max_logical_replication_workers", "16", "max_worker_processes", "24"));
        PgCluster lossy = PgCluster.start("lossy", sourceMajor, Map.of("max_slot_wal_keep_size", "'1MB'",
                "max_wal_size", "'1GB'", "checkpoint_timeout", "'1h'"));
        for (PgCluster cluster : List.of(source, target, lossy)) {
            Replication.createMonitorRole(cluster);
            cluster.execute("postgres", "CREATE ROLE " + PLAIN_ROLE + " LOGIN PASSWORD '" + PLAIN_PASSWORD + "'");
        }
        for (String db : List.of("copy", "grow", "conflict", "nopk", "stall", "broken")) {
            source.execute("postgres", "CREATE DATABASE " + db);
            target.execute("postgres", "CREATE DATABASE " + db);
        }
        lossy.execute("postgres", "CREATE DATABASE lost");
        target.execute("postgres", "CREATE DATABASE lost");

        source.execute("copy", "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, " + COPY_ROWS + ") g",
                "CREATE PUBLICATION pub_copy FOR TABLE big");
        // The subscriber's copy fires ALWAYS triggers: a short sleep per row makes the copy last seconds.
        target.execute("copy", "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                "CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0004); RETURN NEW; END $$",
                "CREATE TRIGGER slow_down BEFORE INSERT ON big FOR EACH ROW EXECUTE FUNCTION slow_down()",
                "ALTER TABLE big ENABLE ALWAYS TRIGGER slow_down");

        for (String db : List.of("grow", "conflict", "stall")) {
            source.execute(db, Replication.ordersTable("orders"), "CREATE PUBLICATION pub_" + db + " FOR TABLE orders");
            target.execute(db, Replication.ordersTable("orders"));
            Replication.insertRows(source, db, "orders", 10, 20);
        }
        source.execute("nopk", "CREATE TABLE events (id int, what text)", "INSERT INTO events VALUES (1, 'created')",
                "CREATE PUBLICATION pub_nopk FOR TABLE events");
        target.execute("nopk", "CREATE TABLE events (id int, what text)");
        // The target's table lacks a column the source publishes: the initial copy fails, again and again.
        source.execute("broken", "CREATE TABLE wide (id int PRIMARY KEY, a text, b text)",
                "INSERT INTO wide SELECT g, 'a', 'b' FROM generate_series(1, 100) g", "CREATE PUBLICATION pub_broken FOR TABLE wide");
        target.execute("broken", "CREATE TABLE wide (id int PRIMARY KEY, a text)");
        lossy.execute("lost", Replication.ordersTable("orders"), "CREATE PUBLICATION pub_lost FOR TABLE orders");
        target.execute("lost", Replication.ordersTable("orders"));

        PgCluster standby = PgCluster.standbyOf(source, "standby");

        for (String db : List.of("grow", "conflict", "nopk", "stall", "broken")) {
            Replication.subscribe(source, db, "pub_" + db, target, db, "sub_" + db, null);
        }
        Replication.subscribe(lossy, "lost", "pub_lost", target, "lost", "sub_lost", null);
        for (String db : List.of("grow", "conflict", "nopk", "stall", "lost")) {
            Replication.awaitTablesReady(target, db, Duration.ofSeconds(60));
        }
        scenarios = new Scenarios(source, target, lossy, standby);

        Map<String, String> config = new HashMap<>();
        int i = 0;
        for (String db : List.of("copy", "grow", "conflict", "nopk", "stall", "broken")) {
            database(config, i++, "src-" + db, source, db, "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
            database(config, i++, "dst-" + db, target, db, "target", "src-" + db, MONITOR_ROLE, MONITOR_PASSWORD);
        }
        database(config, i++, "src-lost", lossy, "lost", "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
        database(config, i++, "dst-lost", target, "lost", "target", "src-lost", MONITOR_ROLE, MONITOR_PASSWORD);
        database(config, i++, "standby", standby, "grow", "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
        database(config, i++, "plain-src", source, "grow", "source", null, PLAIN_ROLE, PLAIN_PASSWORD);
        database(config, i, "plain-dst", target, "grow", "target", "plain-src", PLAIN_ROLE, PLAIN_PASSWORD);
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "800ms");
        config.put("monitor.thresholds.error-recent", ERROR_RECENT.toSeconds() + "s");
        config.put("monitor.thresholds.walsender-stalled", STALLED.toSeconds() + "s");
        config.put("monitor.thresholds.table-sync-stuck", SYNC_STUCK.toSeconds() + "s");
        return config;
    }

    private static void database(Map<String, String> config, int index, String name, PgCluster cluster, String dbname,
                                 String role, String source, String user, String password) {
        Replication.monitorDatabase(config, index, name, cluster, dbname, role, source, user, password);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(scenarios, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, Scenarios.class));
    }

    @Override
    public void stop() {
        if (scenarios != null) {
            for (PgCluster cluster : List.of(scenarios.standby(), scenarios.target(), scenarios.source(), scenarios.lossy())) {
                cluster.close();
            }
        }
    }

    /** The clusters, for the tests to act on. */
    public record Scenarios(PgCluster source, PgCluster target, PgCluster lossy, PgCluster standby) {
    }
}

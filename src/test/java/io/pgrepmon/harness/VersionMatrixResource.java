package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.pgrepmon.harness.Replication.MONITOR_PASSWORD;
import static io.pgrepmon.harness.Replication.MONITOR_ROLE;

/**
 * One cluster per PostgreSQL major version (13 to 18 by default; {@code -Dpg.matrix=13,18} to choose), each
 * replicating its database {@code src} into its database {@code dst}, plus a cross-version pair: database
 * {@code up} of the newest cluster subscribes to {@code src} of the oldest, as in a major-version upgrade.
 * On every source, {@code orders} is published and {@code audit} is not. The monitor logs in everywhere as a
 * role with only pg_monitor.
 */
public class VersionMatrixResource implements QuarkusTestResourceLifecycleManager {

    public static final String UPGRADE = "upgrade";
    /** On the oldest source and the upgrade target only, published to the upgrade pair alone. */
    public static final String MEASURES = "CREATE TABLE measures (id int PRIMARY KEY, f float8, r real, n numeric,"
            + " ts timestamp, tstz timestamptz, iv interval, b bytea, j jsonb)";

    private final Map<Integer, PgCluster> clusters = new ConcurrentHashMap<>();

    public static List<Integer> majors() {
        return java.util.Arrays.stream(System.getProperty("pg.matrix", "13,14,15,16,17,18").split(","))
                .map(String::trim).map(Integer::valueOf).sorted().toList();
    }

    public static String subscription(int major) {
        return "sub_pg" + major;
    }

    @Override
    public Map<String, String> start() {
        List<Integer> majors = majors();
        majors.parallelStream().forEach(major -> clusters.put(major, PgCluster.start("pg" + major, major,
                Map.of("max_slot_wal_keep_size", "'1GB'", "wal_retrieve_retry_interval", "'1s'"))));
        for (int major : majors) {
            PgCluster pg = clusters.get(major);
            Replication.createMonitorRole(pg);
            pg.execute("postgres", "CREATE DATABASE src", "CREATE DATABASE dst");
            pg.execute("src", Replication.ordersTable("orders"), "CREATE TABLE audit (id int PRIMARY KEY, what text)",
                    "CREATE PUBLICATION pub FOR TABLE orders");
            pg.execute("dst", Replication.ordersTable("orders"));
            Replication.insertRows(pg, "src", "orders", 100, 50);
            Replication.subscribe(pg, "src", "pub", pg, "dst", subscription(major), null);
        }
        PgCluster oldest = clusters.get(majors.get(0));
        PgCluster newest = clusters.get(majors.get(majors.size() - 1));
        newest.execute("postgres", "CREATE DATABASE up");
        newest.execute("up", Replication.ordersTable("orders"), MEASURES, "GRANT SELECT ON orders, measures TO " + Replication.MONITOR_ROLE);
        // Values whose text depends on the session and the version: the content comparison must still match.
        oldest.execute("src", MEASURES, "GRANT SELECT ON orders, measures TO " + Replication.MONITOR_ROLE,
                "INSERT INTO measures VALUES (1, 1e-300, 3.14159, 123.4500, '2024-02-29 23:59:59.123456',"
                        + " '2024-06-30 22:00:00.5+02', '1 mon 2 days 03:04:05.678', '\\x00ff', '{\"a\": [1, 2.50]}'),"
                        + " (2, 0.1, 'NaN', -0.000, '1999-12-31 00:00:00', '1970-01-01 00:00:00+00', '-1 day', '', '{}'),"
                        + " (3, '-Infinity', 1e30, 99999999999999999999.99, 'infinity', '2262-01-01 12:00:00-08',"
                        + " '00:00:00.000001', NULL, NULL)",
                "CREATE PUBLICATION pub_measures FOR TABLE measures");
        Replication.subscribe(oldest, "src", "pub, pub_measures", newest, "up", UPGRADE, null);
        for (int major : majors) {
            Replication.awaitTablesReady(clusters.get(major), "dst", Duration.ofSeconds(60));
        }
        Replication.awaitTablesReady(newest, "up", Duration.ofSeconds(60));

        Map<String, String> config = new HashMap<>();
        int i = 0;
        for (int major : majors) {
            database(config, i++, "pg" + major + "-src", clusters.get(major), "src", "source", null);
            database(config, i++, "pg" + major + "-dst", clusters.get(major), "dst", "target", "pg" + major + "-src");
        }
        database(config, i, "pg" + majors.get(majors.size() - 1) + "-up", newest, "up", "target", null);
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "700ms");
        return config;
    }

    private static void database(Map<String, String> config, int index, String name, PgCluster cluster, String dbname,
                                 String role, String source) {
        Replication.monitorDatabase(config, index, name, cluster, dbname, role, source, MONITOR_ROLE, MONITOR_PASSWORD);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new VersionMatrix(Map.copyOf(clusters)),
                new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, VersionMatrix.class));
    }

    @Override
    public void stop() {
        clusters.values().parallelStream().forEach(PgCluster::close);
    }

    /** The clusters by major version, for the tests to write to. */
    public record VersionMatrix(Map<Integer, PgCluster> clusters) {

        public PgCluster oldest() {
            return clusters.get(majors().get(0));
        }

        public PgCluster newest() {
            return clusters.get(majors().get(majors().size() - 1));
        }
    }
}

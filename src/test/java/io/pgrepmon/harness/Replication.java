package io.pgrepmon.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Building blocks for real logical replication between databases of test clusters: databases, tables,
 * publications, subscriptions (also between two databases of one cluster), a monitoring role, and waiting.
 */
public final class Replication {

    public static final String MONITOR_ROLE = "monitor";
    public static final String MONITOR_PASSWORD = "monitor-pw";

    private Replication() {
    }

    /** The table used everywhere: a primary key and some text, so rows have a few hundred bytes when asked. */
    public static String ordersTable(String name) {
        return "CREATE TABLE " + name + " (id bigserial PRIMARY KEY, customer text NOT NULL, amount numeric(12, 2) NOT NULL,"
                + " note text, created_at timestamptz NOT NULL DEFAULT now())";
    }

    public static void insertRows(PgCluster cluster, String database, String table, int rows, int noteBytes) {
        cluster.execute(database, "INSERT INTO " + table + " (customer, amount, note) SELECT 'customer-' || g, g * 1.5,"
                + " repeat('x', " + noteBytes + ") FROM generate_series(1, " + rows + ") g");
    }

    /**
     * Subscribes {@code target.targetDb} to {@code publication} of {@code source.sourceDb}. Within one cluster the
     * slot must exist before CREATE SUBSCRIPTION (the command would otherwise wait on itself), so it is made first.
     */
    public static void subscribe(PgCluster source, String sourceDb, String publication, PgCluster target, String targetDb,
                                 String subscription, String options) {
        String with = options == null || options.isBlank() ? "" : " WITH (" + options + ")";
        if (source == target) {
            source.execute(sourceDb, "SELECT pg_create_logical_replication_slot('" + subscription + "', 'pgoutput')");
            with = " WITH (create_slot = false, slot_name = '" + subscription + "'"
                    + (options == null || options.isBlank() ? "" : ", " + options) + ")";
        }
        target.execute(targetDb, "CREATE SUBSCRIPTION " + subscription + " CONNECTION '" + source.conninfo(sourceDb)
                + "' PUBLICATION " + publication + with);
    }

    /** A login role with only pg_monitor, as an operator would give the monitor. */
    public static void createMonitorRole(PgCluster cluster) {
        cluster.execute("postgres", "CREATE ROLE " + MONITOR_ROLE + " LOGIN PASSWORD '" + MONITOR_PASSWORD + "' IN ROLE pg_monitor");
    }

    /**
     * The monitor's configuration for a cutover pair: {@code source} and {@code target} databases {@code dbname}
     * watched as superuser every second (deadline 800 ms), with the observation window and quiet period given, and
     * deep checks on request only.
     */
    public static java.util.Map<String, String> cutoverMonitor(PgCluster source, PgCluster target, String dbname,
                                                               Duration window) {
        java.util.Map<String, String> config = new java.util.HashMap<>();
        monitorDatabase(config, 0, "source", source, dbname, "source", null, PgCluster.SUPERUSER, source.password());
        monitorDatabase(config, 1, "target", target, dbname, "target", "source", PgCluster.SUPERUSER, target.password());
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "800ms");
        config.put("monitor.cutover.observation-window", window.toSeconds() + "s");
        config.put("monitor.cutover.quiet-period", window.toSeconds() + "s");
        config.put("monitor.cutover.deep-check-interval", "0s");
        return config;
    }

    /**
     * Adds one database to the monitor's configuration, as the flat keys a Quarkus test resource returns.
     * With a null cluster, the caller sets host and port itself.
     */
    public static void monitorDatabase(java.util.Map<String, String> config, int index, String name, PgCluster cluster,
                                       String dbname, String role, String source, String user, String password) {
        String key = "monitor.databases[" + index + "].";
        config.put(key + "name", name);
        if (cluster != null) {
            config.put(key + "host", cluster.host());
            config.put(key + "port", Integer.toString(cluster.port()));
        }
        config.put(key + "user", user);
        config.put(key + "password", password);
        config.put(key + "dbname", dbname);
        config.put(key + "role", role);
        config.put(key + "ssl-mode", "disable");
        if (source != null) {
            config.put(key + "source", source);
        }
    }

    public static long count(PgCluster cluster, String database, String sql) {
        return ((Number) cluster.queryValue(database, sql)).longValue();
    }

    /** Waits until every table of every subscription of the database is ready (state r). */
    public static void awaitTablesReady(PgCluster target, String database, Duration timeout) {
        await(timeout, "tables of " + database + " ready", () ->
                count(target, database, "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'") == 0
                        && count(target, database, "SELECT count(*) FROM pg_subscription_rel") > 0);
    }

    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not reached within " + timeout + ": " + what);
            }
            ReplicationPair.sleep(100);
        }
    }
}

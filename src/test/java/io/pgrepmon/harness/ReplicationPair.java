package io.pgrepmon.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A source and a target cluster with real logical replication of table {@code orders} in database {@code app}:
 * publication {@code pub_orders} on the source, subscription {@code sub_orders} (slot {@code sub_orders}) on the target.
 */
public final class ReplicationPair implements AutoCloseable {

    public static final String DATABASE = "app";
    public static final String PUBLICATION = "pub_orders";
    public static final String SUBSCRIPTION = "sub_orders";

    static final String TABLE = """
            CREATE TABLE orders (
                id bigserial PRIMARY KEY,
                customer text NOT NULL,
                amount numeric(12, 2) NOT NULL,
                note text,
                created_at timestamptz NOT NULL DEFAULT now()
            )""";

    private final PgCluster source;
    private final PgCluster target;

    private ReplicationPair(PgCluster source, PgCluster target) {
        this.source = source;
        this.target = target;
    }

    public static ReplicationPair start(int sourceMajor, int targetMajor) {
        PgCluster source = PgCluster.start("source", sourceMajor, Map.of());
        PgCluster target = null;
        try {
            target = PgCluster.start("target", targetMajor, Map.of());
            ReplicationPair pair = new ReplicationPair(source, target);
            pair.setUp();
            return pair;
        } catch (RuntimeException e) {
            source.close();
            if (target != null) {
                target.close();
            }
            throw e;
        }
    }

    private void setUp() {
        source.execute("postgres", "CREATE DATABASE " + DATABASE);
        target.execute("postgres", "CREATE DATABASE " + DATABASE);
        source.execute(DATABASE, TABLE, "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE orders");
        target.execute(DATABASE, TABLE);
        insertRows(100, 50);
        target.execute(DATABASE, "CREATE SUBSCRIPTION " + SUBSCRIPTION + " CONNECTION '" + source.conninfo(DATABASE)
                + "' PUBLICATION " + PUBLICATION);
        awaitTablesReady(Duration.ofSeconds(60));
    }

    /** Wraps clusters set up by someone else, so that a test resource can hand them to a test and close them. */
    public static ReplicationPair of(PgCluster source, PgCluster target) {
        return new ReplicationPair(source, target);
    }

    public PgCluster source() {
        return source;
    }

    public PgCluster target() {
        return target;
    }

    /** Inserts rows of about {@code noteBytes} of text each on the source, in one transaction. */
    public void insertRows(int rows, int noteBytes) {
        source.execute(DATABASE, "INSERT INTO orders (customer, amount, note) SELECT 'customer-' || g, g * 1.5, repeat('x', "
                + noteBytes + ") FROM generate_series(1, " + rows + ") g");
    }

    /**
     * Enables or disables the subscription. Disabling takes effect when the apply worker notices it: this waits
     * until the slot on the source has no consumer, so that rows written next really stay behind.
     */
    public void setSubscriptionEnabled(boolean enabled) {
        target.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + (enabled ? " ENABLE" : " DISABLE"));
        if (!enabled) {
            Instant deadline = Instant.now().plusSeconds(30);
            while (Boolean.TRUE.equals(source.queryValue(DATABASE,
                    "SELECT active FROM pg_replication_slots WHERE slot_name = '" + SUBSCRIPTION + "'"))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("slot " + SUBSCRIPTION + " still active 30 s after DISABLE");
                }
                sleep(100);
            }
        }
    }

    /** Waits until every table of the subscription has finished its initial copy (state r). */
    public void awaitTablesReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Object notReady = target.queryValue(DATABASE, "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'");
            Object all = target.queryValue(DATABASE, "SELECT count(*) FROM pg_subscription_rel");
            if (((Number) notReady).longValue() == 0 && ((Number) all).longValue() > 0) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("tables of " + SUBSCRIPTION + " not ready after " + timeout);
    }

    /** The monitor's configuration for this pair, as the flat keys a Quarkus test resource returns. */
    public Map<String, String> monitorConfig() {
        Map<String, String> config = new java.util.HashMap<>();
        database(config, 0, "source", source, "source", source.password());
        database(config, 1, "target", target, "target", target.password());
        return config;
    }

    static void database(Map<String, String> config, int index, String name, PgCluster cluster, String role, String password) {
        Replication.monitorDatabase(config, index, name, cluster, DATABASE, role, null, PgCluster.SUPERUSER, password);
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            source.close();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

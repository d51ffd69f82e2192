package io.pgrepmon.harness;

import java.time.Duration;
import java.util.Map;

/**
 * A source and a target replicating database {@code shop} (tables {@code orders}, with a sequence, {@code items},
 * and the monitor's {@code pgrepmon_heartbeat}) for the cutover tests, with short observation windows, deep checks
 * on request only, and the heartbeat on: the pair must reach Ready although the monitor writes every tick.
 */
public class CutoverResource extends PreparedPairResource {

    public static final String PAIR = "sub_shop";
    public static final Duration WINDOW = Duration.ofSeconds(3);

    @Override
    public Map<String, String> start() {
        PgCluster source = PgCluster.start("source", Integer.getInteger("pg.source.major", 15),
                Map.of("max_prepared_transactions", "2"));
        PgCluster target = PgCluster.start("target", Integer.getInteger("pg.target.major", 15),
                Map.of("wal_retrieve_retry_interval", "'1s'"));
        for (PgCluster cluster : new PgCluster[]{source, target}) {
            cluster.execute("postgres", "CREATE DATABASE shop");
            cluster.execute("shop", Replication.ordersTable("orders"), "CREATE TABLE items (id int PRIMARY KEY, name text)",
                    "CREATE TABLE pgrepmon_heartbeat (id int PRIMARY KEY, beat timestamptz NOT NULL)");
        }
        // The heartbeat table is published with the rest; the monitor writes it on the source every tick.
        source.execute("shop", "CREATE PUBLICATION pub_shop FOR TABLE orders, items, pgrepmon_heartbeat");
        Replication.insertRows(source, "shop", "orders", 100, 20);
        source.execute("shop", "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g");
        Replication.subscribe(source, "shop", "pub_shop", target, "shop", PAIR, null);
        Replication.awaitTablesReady(target, "shop", Duration.ofSeconds(60));
        pair = ReplicationPair.of(source, target);

        Map<String, String> config = Replication.cutoverMonitor(source, target, "shop", WINDOW);
        // The test's sessions close after each write, which publishes their row counters at once.
        config.put("monitor.cutover.verify-settle", "2s");
        // items may be sent in part (a row filter in CutoverTests); nothing else may.
        config.put("monitor.cutover.partial-tables[0]", "public.items");
        config.put("monitor.heartbeats[0].source", "source");
        config.put("monitor.heartbeats[0].target", "target");
        return config;
    }

}

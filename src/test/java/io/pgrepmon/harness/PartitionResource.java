package io.pgrepmon.harness;

import java.time.Duration;
import java.util.Map;

/**
 * A source and a target replicating database {@code shop} whose one table, {@code events}, is partitioned by month
 * the same way on both sides ({@code events_2026_11}, {@code events_2026_12}), published through its root
 * ({@code publish_via_partition_root = true}) to start with.
 */
public class PartitionResource extends PreparedPairResource {

    public static final String PAIR = "sub_shop";

    /** The partitioned table and its partitions, as both sides create them. */
    public static final String[] EVENTS = {
            "CREATE TABLE events (id bigint, at date, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
            "CREATE TABLE events_2026_11 PARTITION OF events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
            "CREATE TABLE events_2026_12 PARTITION OF events FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
    };

    @Override
    public Map<String, String> start() {
        PgCluster source = PgCluster.start("source-parts", 15, Map.of());
        PgCluster target = PgCluster.start("target-parts", 15, Map.of("wal_retrieve_retry_interval", "'1s'"));
        for (PgCluster cluster : new PgCluster[]{source, target}) {
            cluster.execute("postgres", "CREATE DATABASE shop");
            cluster.execute("shop", EVENTS);
        }
        source.execute("shop", "CREATE PUBLICATION pub_shop FOR TABLE events WITH (publish_via_partition_root = true)",
                "INSERT INTO events SELECT g, date '2026-11-01' + g % 60, 'event ' || g FROM generate_series(1, 200) g");
        Replication.subscribe(source, "shop", "pub_shop", target, "shop", PAIR, null);
        Replication.awaitTablesReady(target, "shop", Duration.ofSeconds(60));
        pair = ReplicationPair.of(source, target);

        Map<String, String> config = Replication.cutoverMonitor(source, target, "shop", Duration.ofSeconds(3));
        config.put("monitor.cutover.verify-settle", "2s");
        return config;
    }
}

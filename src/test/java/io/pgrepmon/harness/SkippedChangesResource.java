package io.pgrepmon.harness;

import java.time.Duration;
import java.util.Map;

/**
 * A PostgreSQL 18 pair replicating database {@code shop} (table {@code items}): 18 counts the conflicts after which
 * the subscriber skipped a change ({@code update_missing}, {@code delete_missing}).
 */
public class SkippedChangesResource extends PreparedPairResource {

    public static final String PAIR = "sub_items";

    @Override
    public Map<String, String> start() {
        PgCluster source = PgCluster.start("source18", 18, Map.of());
        PgCluster target = PgCluster.start("target18", 18, Map.of("wal_retrieve_retry_interval", "'1s'"));
        for (PgCluster cluster : new PgCluster[]{source, target}) {
            cluster.execute("postgres", "CREATE DATABASE shop");
            cluster.execute("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
        }
        source.execute("shop", "CREATE PUBLICATION pub_items FOR TABLE items",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g");
        Replication.subscribe(source, "shop", "pub_items", target, "shop", PAIR, null);
        Replication.awaitTablesReady(target, "shop", Duration.ofSeconds(60));
        pair = ReplicationPair.of(source, target);

        return Replication.cutoverMonitor(source, target, "shop", Duration.ofSeconds(2));
    }

}

package io.pgrepmon.harness;

import java.time.Duration;
import java.util.Map;

/**
 * Three databases on PostgreSQL 16: {@code up} publishes {@code items} to the source database {@code shop}
 * (subscription {@code sub_up}, both on the source cluster), and the target subscribes to {@code shop} with
 * {@code origin = none}, so what reaches {@code shop} from {@code up} is never sent on. The monitor watches
 * {@code shop} and the target.
 */
public class OriginNoneResource extends PreparedPairResource {

    public static final String PAIR = "sub_shop";

    @Override
    public Map<String, String> start() {
        PgCluster source = PgCluster.start("source16", 16, Map.of());
        PgCluster target = PgCluster.start("target16", 16, Map.of("wal_retrieve_retry_interval", "'1s'"));
        source.execute("postgres", "CREATE DATABASE up", "CREATE DATABASE shop");
        target.execute("postgres", "CREATE DATABASE shop");
        for (String db : new String[]{"up", "shop"}) {
            source.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
        }
        target.execute("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
        source.execute("up", "CREATE PUBLICATION pub_up FOR TABLE items",
                "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g");
        Replication.subscribe(source, "up", "pub_up", source, "shop", "sub_up", null);
        Replication.awaitTablesReady(source, "shop", Duration.ofSeconds(60));
        source.execute("shop", "CREATE PUBLICATION pub_shop FOR TABLE items");
        // copy_data copies what shop holds now (from up) with a warning; later changes from up are not sent.
        Replication.subscribe(source, "shop", "pub_shop", target, "shop", PAIR, "origin = none");
        Replication.awaitTablesReady(target, "shop", Duration.ofSeconds(60));
        pair = ReplicationPair.of(source, target);

        return Replication.cutoverMonitor(source, target, "shop", Duration.ofSeconds(2));
    }

}

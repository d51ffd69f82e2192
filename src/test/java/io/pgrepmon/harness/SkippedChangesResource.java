package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A PostgreSQL 18 pair replicating database {@code shop} (table {@code items}): 18 counts the conflicts after which
 * the subscriber skipped a change ({@code update_missing}, {@code delete_missing}).
 */
public class SkippedChangesResource implements QuarkusTestResourceLifecycleManager {

    public static final String PAIR = "sub_items";

    private ReplicationPair pair;

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

        Map<String, String> config = new HashMap<>();
        Replication.monitorDatabase(config, 0, "source", source, "shop", "source", null, PgCluster.SUPERUSER, source.password());
        Replication.monitorDatabase(config, 1, "target", target, "shop", "target", "source", PgCluster.SUPERUSER, target.password());
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "800ms");
        config.put("monitor.cutover.observation-window", "2s");
        config.put("monitor.cutover.quiet-period", "2s");
        config.put("monitor.cutover.deep-check-interval", "0s");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pair, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, ReplicationPair.class));
    }

    @Override
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }
}

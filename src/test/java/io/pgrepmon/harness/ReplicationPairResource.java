package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts a source and a target PostgreSQL with real logical replication and hands the monitor its configuration,
 * with short intervals so scenarios run in seconds. Init args:
 * {@code wrongPasswordDatabase=<canary>} adds a third database, the source again but with that wrong password.
 */
public class ReplicationPairResource implements QuarkusTestResourceLifecycleManager {

    /** Interval used by the tests; deadlines stay well under it. */
    public static final long INTERVAL_MILLIS = 1000;
    /** Warning threshold for lag in the tests: a few hundred rows exceed it. */
    public static final long LAG_BYTES = 64 * 1024;
    public static final long SLOT_INACTIVE_SECONDS = 4;

    private ReplicationPair pair;
    private String wrongPassword;

    @Override
    public void init(Map<String, String> initArgs) {
        wrongPassword = initArgs.get("wrongPasswordDatabase");
    }

    @Override
    public Map<String, String> start() {
        int sourceMajor = Integer.getInteger("pg.source.major", 15);
        int targetMajor = Integer.getInteger("pg.target.major", 15);
        pair = ReplicationPair.start(sourceMajor, targetMajor);
        Map<String, String> config = new HashMap<>(pair.monitorConfig());
        if (wrongPassword != null) {
            ReplicationPair.database(config, 2, "source-wrong-password", pair.source(), "source", wrongPassword);
        }
        config.put("monitor.refresh-interval", INTERVAL_MILLIS + "ms");
        config.put("monitor.connect-timeout", "700ms");
        config.put("monitor.query-timeout", "900ms");
        config.put("monitor.thresholds.lag-bytes", Long.toString(LAG_BYTES));
        config.put("monitor.thresholds.lag-bytes-critical", Long.toString(1024L * 1024 * 1024));
        config.put("monitor.thresholds.slot-inactive", SLOT_INACTIVE_SECONDS + "s");
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

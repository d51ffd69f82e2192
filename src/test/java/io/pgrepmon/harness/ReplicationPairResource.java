package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts a source and a target PostgreSQL with real logical replication and hands the monitor its configuration,
 * with short intervals so scenarios run in seconds. Init args:
 * {@code wrongPasswordDatabase=<canary>} adds a third database, the source again but with that wrong password;
 * {@code hungDatabase=true} adds a third database that accepts TCP connections and never answers.
 */
public class ReplicationPairResource implements QuarkusTestResourceLifecycleManager {

    /** Interval used by the tests; deadlines stay well under it. */
    public static final long INTERVAL_MILLIS = 1000;
    /** Each database's poll deadline: a tick lasts at most about this long, leaving margin in the interval. */
    public static final long QUERY_TIMEOUT_MILLIS = 600;
    /** Warning threshold for lag in the tests: a few hundred rows exceed it. */
    public static final long LAG_BYTES = 64 * 1024;
    public static final long SLOT_INACTIVE_SECONDS = 4;

    private ReplicationPair pair;
    private String wrongPassword;
    private boolean hung;
    private SilentListener silent;

    @Override
    public void init(Map<String, String> initArgs) {
        wrongPassword = initArgs.get("wrongPasswordDatabase");
        hung = Boolean.parseBoolean(initArgs.get("hungDatabase"));
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
        if (hung) {
            try {
                silent = new SilentListener();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String key = "monitor.databases[2].";
            config.put(key + "name", "hung");
            config.put(key + "host", "127.0.0.1");
            config.put(key + "port", Integer.toString(silent.port()));
            config.put(key + "user", "monitor");
            config.put(key + "password", "irrelevant");
            config.put(key + "dbname", "app");
            config.put(key + "role", "target");
            config.put(key + "ssl-mode", "disable");
        }
        config.put("monitor.refresh-interval", INTERVAL_MILLIS + "ms");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", QUERY_TIMEOUT_MILLIS + "ms");
        config.put("monitor.thresholds.lag-bytes", Long.toString(LAG_BYTES));
        config.put("monitor.thresholds.lag-bytes-critical", Long.toString(1024L * 1024 * 1024));
        config.put("monitor.thresholds.slot-inactive", SLOT_INACTIVE_SECONDS + "s");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pair, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, ReplicationPair.class));
        if (silent != null) {
            injector.injectIntoFields(silent, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, SilentListener.class));
        }
    }

    @Override
    public void stop() {
        try {
            if (silent != null) {
                silent.close();
            }
        } catch (java.io.IOException ignored) {
            // the listener is gone with the test JVM anyway
        }
        if (pair != null) {
            pair.close();
        }
    }
}

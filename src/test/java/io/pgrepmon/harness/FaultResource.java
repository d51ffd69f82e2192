package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import static io.pgrepmon.harness.Replication.MONITOR_PASSWORD;
import static io.pgrepmon.harness.Replication.MONITOR_ROLE;

/**
 * Databases to break, and one to keep healthy as the witness that the others stay on schedule:
 * {@code steady} (its own cluster), {@code victim} (a cluster with a small max_connections, watched through a
 * pg_monitor role), {@code flaky} (the victim's database {@code flaky} through a {@link FlakyProxy}) and
 * {@code blackholed} (an address in a network namespace where packets vanish; needs root, as CI runs).
 */
public class FaultResource implements QuarkusTestResourceLifecycleManager {

    /** The victim's connection slots for roles that are not superusers. */
    public static final int USER_SLOTS = 6;

    private Faults faults;

    @Override
    public Map<String, String> start() {
        PgCluster steady = PgCluster.start("steady", 15, Map.of());
        PgCluster victim = PgCluster.start("victim", 15, Map.of("max_connections", Integer.toString(USER_SLOTS + 3),
                "superuser_reserved_connections", "3"));
        Replication.createMonitorRole(victim);
        victim.execute("postgres", "CREATE ROLE filler LOGIN PASSWORD 'filler'", "CREATE DATABASE flaky");
        FlakyProxy proxy;
        try {
            proxy = new FlakyProxy(victim.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Blackhole blackhole = new Blackhole();
        faults = new Faults(steady, victim, proxy, blackhole);

        Map<String, String> config = new HashMap<>();
        Replication.monitorDatabase(config, 0, "steady", steady, "postgres", "source", null, PgCluster.SUPERUSER, steady.password());
        Replication.monitorDatabase(config, 1, "victim", victim, "postgres", "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
        Replication.monitorDatabase(config, 2, "flaky", victim, "flaky", "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
        config.put("monitor.databases[2].port", Integer.toString(proxy.port()));
        Replication.monitorDatabase(config, 3, "blackholed", victim, "postgres", "source", null, MONITOR_ROLE, MONITOR_PASSWORD);
        config.put("monitor.databases[3].host", Blackhole.ADDRESS);
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "700ms");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(faults, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, Faults.class));
    }

    @Override
    public void stop() {
        if (faults != null) {
            try {
                faults.proxy().close();
            } catch (IOException ignored) {
                // gone with the JVM
            }
            faults.blackhole().close();
            faults.victim().close();
            faults.steady().close();
        }
    }

    public record Faults(PgCluster steady, PgCluster victim, FlakyProxy proxy, Blackhole blackhole) {
    }
}

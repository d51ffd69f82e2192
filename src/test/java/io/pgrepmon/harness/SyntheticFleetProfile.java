package io.pgrepmon.harness;

import io.pgrepmon.assemble.SyntheticFleet;
import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClients;
import io.pgrepmon.pipeline.ReadStage;
import io.pgrepmon.probe.DatabaseReading;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The monitor watching a synthetic fleet of {@link #PAIRS} pairs ({@link SyntheticFleet}): every tick's readings are
 * made up instead of read, and everything after the reading (assembly, trends, cutover, alerts, the hub, the API
 * and the page) is the real thing. For the dashboard at a scale no test machine runs clusters for.
 */
public class SyntheticFleetProfile implements QuarkusTestProfile {

    public static final int PAIRS = 500;
    public static final int INTERVAL_MILLIS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        // One database must be configured; it is never connected to (the synthetic stage reads nothing).
        return Map.of("monitor.refresh-interval", INTERVAL_MILLIS + "ms", "monitor.connect-timeout", "500ms",
                "monitor.query-timeout", "1000ms",
                "monitor.databases[0].name", "placeholder", "monitor.databases[0].host", "127.0.0.1",
                "monitor.databases[0].port", "9", "monitor.databases[0].user", "nobody",
                "monitor.databases[0].dbname", "none", "monitor.databases[0].role", "source",
                "monitor.databases[0].ssl-mode", "disable");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(SyntheticReadStage.class);
    }

    @Override
    public String getConfigProfile() {
        return "synthetic";
    }

    /** Stage 1 replaced: the fleet's readings for this tick, made up. */
    @Alternative
    @Singleton
    public static class SyntheticReadStage extends ReadStage {

        private final AtomicLong tick = new AtomicLong();

        public SyntheticReadStage(DatabaseClients clients, Settings settings) {
            super(clients, settings);
        }

        @Override
        public Uni<List<DatabaseReading>> read(Set<String> hashTables) {
            return Uni.createFrom().item(() -> SyntheticFleet.readings(PAIRS, tick.incrementAndGet(), Instant.now()));
        }
    }
}

package io.pgrepmon.health;

import io.pgrepmon.config.MonitorConfig;
import io.pgrepmon.probe.Poller;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * Live while ticks keep completing. Monitored databases being down does not matter here (each tick still
 * completes, reporting them); a poller that has stopped ticking does, and a restart is the cure.
 */
@Liveness
public class PollerLivenessCheck implements HealthCheck {

    private final Poller poller;
    private final MonitorConfig config;

    public PollerLivenessCheck(Poller poller, MonitorConfig config) {
        this.poller = poller;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Duration allowed = config.refreshInterval().multipliedBy(3).plus(config.queryTimeout());
        Instant last = poller.lastTickEnd();
        Instant reference = last != null ? last : poller.startedAt() != null ? poller.startedAt() : Instant.now();
        Duration since = Duration.between(reference, Instant.now());
        return HealthCheckResponse.named("poller")
                .status(since.compareTo(allowed) <= 0)
                .withData("lastTickEnd", last == null ? "none yet" : last.toString())
                .withData("allowedMillis", allowed.toMillis())
                .build();
    }
}

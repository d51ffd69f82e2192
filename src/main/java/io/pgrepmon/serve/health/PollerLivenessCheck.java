package io.pgrepmon.serve.health;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.publish.SnapshotHub;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * Live while ticks keep completing, i.e. while new snapshots keep being published. Monitored databases being
 * down does not matter here (each tick still completes, reporting them); a poller that has stopped ticking
 * does, and a restart is the cure.
 */
@Liveness
public class PollerLivenessCheck implements HealthCheck {

    private final SnapshotHub hub;
    private final MonitorSettings.Poll poll;

    public PollerLivenessCheck(SnapshotHub hub, Settings settings) {
        this.hub = hub;
        this.poll = settings.get().poll();
    }

    @Override
    public HealthCheckResponse call() {
        Duration allowed = poll.interval().multipliedBy(3).plus(poll.queryTimeout());
        Instant lastTickEnd = hub.latest()
                .map(p -> p.snapshot().takenAt().plusMillis(p.snapshot().tookMillis()))
                .orElse(null);
        Instant reference = lastTickEnd != null ? lastTickEnd : hub.openedAt();
        return HealthCheckResponse.named("poller")
                .status(Duration.between(reference, Instant.now()).compareTo(allowed) <= 0)
                .withData("lastTickEnd", lastTickEnd == null ? "none yet" : lastTickEnd.toString())
                .withData("allowedMillis", allowed.toMillis())
                .build();
    }
}

package io.pgrepmon.serve.health;

import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.publish.SnapshotHub;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the first snapshot exists, whatever it says: reporting databases that are down is the monitor's
 * job, not a reason to take it out of service. Each monitored database's state is given as data.
 */
@Readiness
public class SnapshotReadinessCheck implements HealthCheck {

    private final SnapshotHub hub;

    public SnapshotReadinessCheck(SnapshotHub hub) {
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("monitored-databases");
        var latest = hub.latest();
        if (latest.isEmpty()) {
            return response.down().withData("snapshot", "the first poll has not finished").build();
        }
        response.up().withData("snapshot", latest.get().snapshot().sequence());
        for (DatabaseSnapshot db : latest.get().snapshot().databases()) {
            response.withData(db.name(), db.health().status().code());
        }
        return response.build();
    }
}

package io.pgrepmon.snapshot;

import io.pgrepmon.config.Role;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One database as seen by the latest tick. When it could not be polled, {@code reachable} is false,
 * {@code error} says why and the lists are empty: nothing old is carried over as if it were current.
 *
 * @param error         why this tick's poll failed, or null
 * @param lastSuccessAt the last tick that polled it successfully (null if none yet)
 * @param lastError     the most recent failure and {@code lastErrorAt} its time, kept after recovery
 */
@RegisterForReflection
public record DatabaseSnapshot(String name, Role role, String host, int port, String dbname, boolean reachable,
                               Health health, ServerInfo server, Instant polledAt, long pollMillis, String error,
                               Instant lastSuccessAt, String lastError, Instant lastErrorAt, List<ProbeReport> probes,
                               List<SlotInfo> slots, List<PublicationInfo> publications,
                               List<SubscriptionInfo> subscriptions) {

    public DatabaseSnapshot {
        probes = List.copyOf(probes);
        slots = List.copyOf(slots);
        publications = List.copyOf(publications);
        subscriptions = List.copyOf(subscriptions);
    }
}

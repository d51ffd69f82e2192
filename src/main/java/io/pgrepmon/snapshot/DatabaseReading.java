package io.pgrepmon.snapshot;

import io.pgrepmon.config.DatabaseSettings;

import java.time.Instant;
import java.util.List;

/**
 * What one poll of one database produced, before health and history are applied.
 *
 * @param server null when the database could not be reached; {@code error} says why
 */
public record DatabaseReading(DatabaseSettings database, Instant polledAt, long millis, ServerInfo server, String error,
                              List<ProbeReport> probes, List<SlotInfo> slots, List<PublicationInfo> publications,
                              List<SubscriptionInfo> subscriptions) {

    public static DatabaseReading unreachable(DatabaseSettings database, Instant polledAt, long millis, String error) {
        return new DatabaseReading(database, polledAt, millis, null, error, List.of(), List.of(), List.of(), List.of());
    }

    public boolean reachable() {
        return server != null;
    }
}

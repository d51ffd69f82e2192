package io.pgrepmon.snapshot;

import io.pgrepmon.config.DatabaseSettings;

import java.time.Instant;
import java.util.List;

/**
 * What one poll of one database produced, before health and history are applied. A probe that did not apply
 * or failed leaves its list empty; its report says which.
 *
 * @param server null when the database could not be reached; {@code error} says why
 */
public record DatabaseReading(DatabaseSettings database, Instant polledAt, long millis, ServerInfo server, String error,
                              List<ProbeReport> probes, List<SlotInfo> slots, List<SlotStats> slotStats,
                              List<WalSenderInfo> walSenders, List<PublicationInfo> publications,
                              List<TableInfo> tables, List<SubscriptionInfo> subscriptions,
                              List<SubscriptionTableRow> subscriptionTables,
                              List<SubscriptionStatsRow> subscriptionStats, List<SourceActivity> activity,
                              List<Heartbeat> heartbeat) {

    public static DatabaseReading unreachable(DatabaseSettings database, Instant polledAt, long millis, String error) {
        return new DatabaseReading(database, polledAt, millis, null, error, List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public boolean reachable() {
        return server != null;
    }
}

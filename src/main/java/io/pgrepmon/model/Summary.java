package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Counts for the summary cards; database counts are by each database's own status.
 *
 * @param subscribedTables tables of all subscriptions, {@code readyTables} of them in state r (ready)
 */
@RegisterForReflection
public record Summary(int databases, int sources, int targets, int healthy, int warning, int critical, int down,
                      int slots, int activeSlots, int subscriptions, int enabledSubscriptions, int pairs,
                      int subscribedTables, int readyTables,
                      Long worstLagBytes, String worstLagPair) {
}

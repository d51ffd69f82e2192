package io.pgrepmon.snapshot;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Counts for the summary cards; database counts are by each database's own status. */
@RegisterForReflection
public record Summary(int databases, int sources, int targets, int healthy, int warning, int critical, int down,
                      int slots, int activeSlots, int subscriptions, int enabledSubscriptions, int pairs,
                      Long worstLagBytes, String worstLagPair) {
}

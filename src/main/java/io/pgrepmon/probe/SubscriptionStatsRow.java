package io.pgrepmon.probe;

import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code pg_stat_subscription_stats} as read: cumulative counters. The assembler turns them into
 * {@link SubscriptionStats} with the changes since the monitor started.
 *
 * @param conflicts null before PostgreSQL 18
 */
public record SubscriptionStatsRow(String subscription, long applyErrors, long syncErrors, Map<String, Long> conflicts,
                                   Instant statsReset) {
}

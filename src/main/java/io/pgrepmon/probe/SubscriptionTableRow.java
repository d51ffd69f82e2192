package io.pgrepmon.probe;

import io.pgrepmon.model.SubscriptionTable;
/** One row of {@code pg_subscription_rel} as read, with the subscription it belongs to. */
public record SubscriptionTableRow(String subscription, SubscriptionTable table) {
}

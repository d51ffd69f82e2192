package io.pgrepmon.snapshot;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A subscription on a target with its apply worker; the worker fields are null when no apply worker runs
 * (always so for a disabled subscription).
 *
 * @param lastMsgSendTime    publisher's clock
 * @param lastMsgReceiptTime subscriber's clock
 */
@RegisterForReflection
public record SubscriptionInfo(String name, boolean enabled, String slotName, List<String> publications,
                               Integer workerPid, Lsn receivedLsn, Lsn latestEndLsn, Instant lastMsgSendTime,
                               Instant lastMsgReceiptTime, Instant latestEndTime, Health health) {

    public SubscriptionInfo {
        publications = publications == null ? List.of() : List.copyOf(publications);
    }

    public SubscriptionInfo withHealth(Health newHealth) {
        return new SubscriptionInfo(name, enabled, slotName, publications, workerPid, receivedLsn, latestEndLsn,
                lastMsgSendTime, lastMsgReceiptTime, latestEndTime, newHealth);
    }
}

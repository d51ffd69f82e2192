package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A subscription on a target with its apply worker, as the server describes it; the worker fields are null when no
 * apply worker runs (always so for a disabled subscription). Options a server's version lacks are null.
 *
 * @param lastMsgSendTime         publisher's clock
 * @param lastMsgReceiptTime      subscriber's clock
 * @param lastMsgSendAgeMillis    the subscriber's now() minus the publisher's send time: includes clock skew
 * @param lastMsgReceiptAgeMillis the subscriber's now() minus the receipt time: no skew
 * @param streaming               off, on or parallel (14+)
 * @param twoPhase                two-phase state: d (disabled), p (pending) or e (enabled) (15+)
 * @param syncWorkers             table-sync workers running
 * @param parallelWorkers         parallel apply workers running (16+)
 * @param origin                  {@code suborigin} (16+): {@code any}, or {@code none} to skip changes that reached
 *                                the publisher through a subscription of its own
 */
@RegisterForReflection
public record SubscriptionReading(String name, boolean enabled, String slotName, List<String> publications,
                                  Integer workerPid, Lsn receivedLsn, Lsn latestEndLsn, Instant lastMsgSendTime,
                                  Instant lastMsgReceiptTime, Instant latestEndTime, Long lastMsgSendAgeMillis,
                                  Long lastMsgReceiptAgeMillis, String streaming, String twoPhase,
                                  Boolean disableOnError, int syncWorkers, Integer parallelWorkers, String origin) {

    public SubscriptionReading {
        publications = publications == null ? List.of() : List.copyOf(publications);
    }
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription on a target with its apply worker; the worker fields are null when no apply worker runs
 * (always so for a disabled subscription). Options a server's version lacks are null.
 *
 * @param workerSince            the first poll that saw the current apply worker (a restart after an error changes it)
 * @param lastMsgSendTime        publisher's clock
 * @param lastMsgReceiptTime     subscriber's clock
 * @param lastMsgSendAgeMillis   the subscriber's now() minus the publisher's send time: includes clock skew
 * @param lastMsgReceiptAgeMillis the subscriber's now() minus the receipt time: no skew
 * @param streaming              off, on or parallel (14+)
 * @param twoPhase               two-phase state: d (disabled), p (pending) or e (enabled) (15+)
 * @param syncWorkers            table-sync workers running
 * @param parallelWorkers        parallel apply workers running (16+)
 * @param tableStates            how many of its tables are in each state, by state letter
 * @param stats                  error and conflict counters (15+)
 */
@RegisterForReflection
public record SubscriptionInfo(String name, boolean enabled, String slotName, List<String> publications,
                               Integer workerPid, Instant workerSince, Lsn receivedLsn, Lsn latestEndLsn, Instant lastMsgSendTime,
                               Instant lastMsgReceiptTime, Instant latestEndTime, Long lastMsgSendAgeMillis,
                               Long lastMsgReceiptAgeMillis, String streaming, String twoPhase, Boolean disableOnError,
                               int syncWorkers, Integer parallelWorkers, List<SubscriptionTable> tables,
                               Map<String, Integer> tableStates, SubscriptionStats stats, Health health) {

    public SubscriptionInfo {
        publications = publications == null ? List.of() : List.copyOf(publications);
        tables = tables == null ? List.of() : List.copyOf(tables);
        tableStates = tableStates == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tableStates));
    }

    public SubscriptionInfo with(List<SubscriptionTable> newTables, Map<String, Integer> newStates,
                                 SubscriptionStats newStats, Health newHealth) {
        return new SubscriptionInfo(name, enabled, slotName, publications, workerPid, workerSince, receivedLsn,
                latestEndLsn, lastMsgSendTime, lastMsgReceiptTime, latestEndTime, lastMsgSendAgeMillis,
                lastMsgReceiptAgeMillis, streaming, twoPhase, disableOnError, syncWorkers, parallelWorkers, newTables,
                newStates, newStats, newHealth);
    }

    public SubscriptionInfo withWorkerSince(Instant since) {
        return new SubscriptionInfo(name, enabled, slotName, publications, workerPid, since, receivedLsn, latestEndLsn,
                lastMsgSendTime, lastMsgReceiptTime, latestEndTime, lastMsgSendAgeMillis, lastMsgReceiptAgeMillis,
                streaming, twoPhase, disableOnError, syncWorkers, parallelWorkers, tables, tableStates, stats, health);
    }

    public long tablesNotReady() {
        return tables.stream().filter(t -> !t.ready()).count();
    }
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * One table of a subscription from {@code pg_subscription_rel}.
 *
 * @param state        i (init), d (data copy), f (finished copy, 14+), s (synchronized) or r (ready)
 * @param stateName    the state in words
 * @param syncLsn      {@code srsublsn}: where the table's sync ended (s, r)
 * @param syncWorkerPid the table-sync worker working on it, if any
 * @param stateSince   the first poll that saw the table in its current state
 * @param copy         progress of the initial copy while one runs (PostgreSQL 14+), else null
 */
@RegisterForReflection
public record SubscriptionTable(String schema, String name, String state, String stateName, Lsn syncLsn,
                                Integer syncWorkerPid, Instant stateSince, CopyProgress copy) {

    public String qualifiedName() {
        return schema + "." + name;
    }

    public boolean ready() {
        return "r".equals(state);
    }

    public SubscriptionTable with(Instant since, CopyProgress newCopy) {
        return new SubscriptionTable(schema, name, state, stateName, syncLsn, syncWorkerPid, since, newCopy);
    }

    public static String stateName(String state) {
        return switch (state) {
            case "i" -> "initializing";
            case "d" -> "copying data";
            case "f" -> "finished copy";
            case "s" -> "synchronized";
            case "r" -> "ready";
            default -> "unknown (" + state + ")";
        };
    }
}

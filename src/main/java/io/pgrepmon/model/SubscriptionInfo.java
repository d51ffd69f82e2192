package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription as published: what the server said of it, its tables and counters, and what the monitor judged.
 *
 * @param workerSince the first poll that saw the current apply worker (a restart after an error changes it)
 * @param tables      its tables with their sync state, since when, and copy progress
 * @param tableStates how many of its tables are in each state, by state letter
 * @param stats       error and conflict counters (15+), as changes since the monitor started
 * @param syncMovedAt while tables are not ready, the first poll that saw their sync states and copy progress as
 *                    they are now (what "stuck" is measured from); null when every table is ready
 */
@RegisterForReflection
public record SubscriptionInfo(@JsonUnwrapped SubscriptionReading reading, Instant workerSince,
                               List<SubscriptionTable> tables, Map<String, Integer> tableStates,
                               SubscriptionStats stats, Health health, Instant syncMovedAt) {

    public SubscriptionInfo(SubscriptionReading reading, Instant workerSince, List<SubscriptionTable> tables,
                            Map<String, Integer> tableStates, SubscriptionStats stats, Health health) {
        this(reading, workerSince, tables, tableStates, stats, health, null);
    }

    public SubscriptionInfo {
        tables = tables == null ? List.of() : List.copyOf(tables);
        tableStates = tableStates == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tableStates));
    }

    public String name() {
        return reading.name();
    }

    public long tablesNotReady() {
        return tables.stream().filter(t -> !t.ready()).count();
    }
}

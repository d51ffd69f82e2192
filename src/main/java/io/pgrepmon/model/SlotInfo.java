package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A slot as published: what the server said of it, its decoding statistics, and what the monitor judged.
 *
 * @param inactiveSince when the slot was last seen without a consumer: the server's own {@code inactive_since}
 *                      on 17+, otherwise the first poll that saw it inactive
 * @param stats         decoding statistics from {@code pg_stat_replication_slots} (14+)
 */
@RegisterForReflection
public record SlotInfo(@JsonUnwrapped SlotReading reading, Instant inactiveSince, SlotStats stats, Health health) {
}

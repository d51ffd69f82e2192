package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * The heartbeat row as a database sees it: on a source, the beat just written; on a target, the last beat applied.
 *
 * @param beat       the timestamp in the row (the source's clock)
 * @param observedAt the database's own now() when it was read
 */
@RegisterForReflection
public record Heartbeat(Instant beat, Instant observedAt) {
}

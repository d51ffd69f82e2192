package io.pgrepmon.snapshot;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A target's subscription linked to the slot it consumes on a source (matched by slot name).
 *
 * @param name     the subscription's name, prefixed with its target database when two targets use the same name
 * @param lagBytes bytes the subscriber has yet to confirm: the source's current position minus the slot's
 *                 confirmed flush; null when the slot or the source is not known
 */
@RegisterForReflection
public record PairInfo(String name, String sourceDatabase, String slotName, String targetDatabase,
                       String subscription, Long lagBytes, Health health) {
}

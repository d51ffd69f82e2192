package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * A target's subscription linked to the slot it consumes on a source.
 *
 * @param name             the subscription's name, prefixed with its target database when two targets use the same name
 * @param linkedBy         how the slot was found: "pairs" (explicit in the config), "source" (the target's configured
 *                         source), "slot name" (the only source with a slot of that name); null when not linked
 * @param lagBytes         bytes the subscriber has yet to confirm: the source's current position minus the slot's
 *                         confirmed flush; null when the slot or the source is not known
 * @param lagSeconds       an estimate of how far behind the subscriber is in time; {@code lagMethod} says how it was
 *                         obtained (no catalog measures it exactly)
 * @param lagMethodText    the method in a sentence, with its figures (the apply rate, how long the slot has been still)
 * @param applyRateBytesPerSecond how fast the slot's confirmed position has been advancing recently
 * @param walSender        the walsender's activity: idle, streaming, stalled, or none when no walsender serves the slot
 * @param tableStates      the subscription's tables per state letter
 * @param missingTables    tables the subscribed publications publish on the source that the subscription does not
 *                         know (added after it was created: they need REFRESH PUBLICATION)
 */
@RegisterForReflection
public record PairInfo(String name, String sourceDatabase, String slotName, String targetDatabase,
                       String subscription, String linkedBy, Long lagBytes, Double lagSeconds, LagMethod lagMethod,
                       String lagMethodText,
                       Double applyRateBytesPerSecond, WalSenderActivity walSender, Map<String, Integer> tableStates,
                       List<String> missingTables, Health health) {

    public PairInfo {
        tableStates = tableStates == null ? Map.of() : tableStates;
        missingTables = missingTables == null ? List.of() : List.copyOf(missingTables);
    }
}

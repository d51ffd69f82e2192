package io.pgrepmon.config;

/**
 * An explicit link, validated: the subscription {@code subscription} of database {@code target} consumes slot
 * {@code slot} (null: the subscription's own slot name) of database {@code source}.
 */
public record PairSettings(String target, String subscription, String source, String slot) {
}

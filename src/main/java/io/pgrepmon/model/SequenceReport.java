package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A sequence compared between source and target. Sequences are not replicated (before PostgreSQL 19): after
 * cutover the target must hand out values above every one the source used.
 *
 * @param sourceValue the source's {@code last_value}; null when never used or not readable
 * @param status      ok, behind, missing (no such sequence on the target) or unknown
 * @param fix         the statement an operator would run on the target (shown, never executed by the monitor)
 */
@RegisterForReflection
public record SequenceReport(String sequence, Long sourceValue, Long targetValue, SequenceStatus status, String fix) {
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An initial table copy in progress, from the subscriber's {@code pg_stat_progress_copy}. The subscriber does not
 * know the total ({@code bytes_total} is 0 for a copy from the network), so the percentage compares the bytes
 * received with the table's size on the source: an estimate, since COPY text and on-disk size differ.
 *
 * @param sourceBytes the table's size on the linked source (see {@link TableReading#sizeBytes()}), null when not known
 * @param percent     bytesProcessed / sourceBytes, capped at 99.9 while the copy runs; null without sourceBytes
 */
@RegisterForReflection
public record CopyProgress(long bytesProcessed, long tuplesProcessed, Long sourceBytes, Double percent) {

    public CopyProgress withSource(Long bytes) {
        Double pct = bytes == null || bytes <= 0 ? null
                : Math.min(99.9, Math.round(bytesProcessed * 1000.0 / bytes) / 10.0);
        return new CopyProgress(bytesProcessed, tuplesProcessed, bytes, pct);
    }
}

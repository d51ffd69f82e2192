package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * How far the content comparison of a pair has come, while it runs and after.
 *
 * @param rows           rows to compare this run (the source's exact counts of the tables it compares)
 * @param rowsPerSecond  rows hashed per second since it started; null before the first key range
 * @param secondsLeft    estimated from that rate; null while unknown or once done
 */
@RegisterForReflection
public record ContentProgress(boolean running, Instant startedAt, int tablesDone, int tables, long chunksDone,
                              long rowsDone, long rows, Double rowsPerSecond, Long secondsLeft) {

    public static ContentProgress of(boolean running, Instant startedAt, Instant now, int tablesDone, int tables,
                                     long chunksDone, long rowsDone, long rows) {
        double seconds = Math.max(0.001, (now.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
        Double rate = rowsDone == 0 ? null : Math.round(rowsDone / seconds * 10) / 10.0;
        Long left = !running || rate == null ? null : Math.round(Math.max(0, rows - rowsDone) / rate);
        return new ContentProgress(running, startedAt, tablesDone, tables, chunksDone, rowsDone, rows, rate, left);
    }
}

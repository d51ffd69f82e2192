package io.pgrepmon.judge.history;

import java.util.ArrayList;
import java.util.List;

/**
 * One bounded time series: a ring of (epoch millisecond, value) pairs in two primitive arrays, so that a point
 * costs 16 bytes and a full series never grows. Not thread-safe on its own: {@link History} serializes access.
 */
public final class Series {

    static final int BYTES_PER_POINT = Long.BYTES + Double.BYTES;

    private final long[] times;
    private final double[] values;
    private int start;
    private int size;

    Series(int capacity) {
        times = new long[capacity];
        values = new double[capacity];
    }

    void add(long epochMillis, double value) {
        int end = (start + size) % times.length;
        times[end] = epochMillis;
        values[end] = value;
        if (size < times.length) {
            size++;
        } else {
            start = (start + 1) % times.length;
        }
    }

    int size() {
        return size;
    }

    /** The points at or after {@code fromMillis}, oldest first. */
    List<Point> since(long fromMillis) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int at = (start + i) % times.length;
            if (times[at] >= fromMillis) {
                points.add(new Point(times[at], values[at]));
            }
        }
        return points;
    }

    /** A point of a series: epoch milliseconds and a value. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Point(long t, double v) {
    }
}

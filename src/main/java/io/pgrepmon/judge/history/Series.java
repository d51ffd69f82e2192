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

    /**
     * The highest value in each of {@code steps} equal steps from {@code fromMillis} to {@code toMillis}, oldest
     * first; NaN for a step without a point. Reads the ring in place: a sparkline per pair per tick allocates nothing
     * but its result.
     */
    double[] stepMaxima(long fromMillis, long toMillis, int steps) {
        double[] maxima = new double[steps];
        java.util.Arrays.fill(maxima, Double.NaN);
        double width = Math.max(1, toMillis - fromMillis) / (double) steps;
        for (int i = 0; i < size; i++) {
            int at = (start + i) % times.length;
            if (times[at] < fromMillis || times[at] > toMillis) {
                continue;
            }
            int step = Math.min(steps - 1, (int) ((times[at] - fromMillis) / width));
            if (Double.isNaN(maxima[step]) || values[at] > maxima[step]) {
                maxima[step] = values[at];
            }
        }
        return maxima;
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

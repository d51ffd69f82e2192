package io.pgrepmon.judge.history;

import io.pgrepmon.model.TrendDirection;
import io.pgrepmon.model.Units;

import java.time.Duration;
import java.util.List;

/**
 * Trend maths on a series: the least-squares slope over a window, and what it means for a lag (when it will be
 * caught up, or that it is falling behind) or for a slot's remaining WAL headroom (when it would be lost).
 */
public final class Trends {

    private Trends() {
    }

    /** Least-squares slope in units per second; null with fewer than three points or no time spread. */
    static Double slopePerSecond(List<Series.Point> points) {
        int n = points.size();
        if (n < 3) {
            return null;
        }
        double t0 = points.get(0).t();
        double sumX = 0, sumY = 0, sumXY = 0, sumXX = 0;
        for (Series.Point p : points) {
            double x = (p.t() - t0) / 1000.0;
            sumX += x;
            sumY += p.v();
            sumXY += x * p.v();
            sumXX += x * x;
        }
        double denominator = n * sumXX - sumX * sumX;
        return denominator == 0 ? null : (n * sumXY - sumX * sumY) / denominator;
    }

    /**
     * What a lag series says. {@code direction}: caught-up, catching-up (with an ETA), falling-behind, steady or
     * unknown (not enough points yet).
     */
    public record LagTrend(TrendDirection direction, Double etaSeconds, Double bytesPerSecond, String text) {
    }

    static LagTrend lag(List<Series.Point> points, Duration window) {
        if (points.isEmpty()) {
            return new LagTrend(TrendDirection.UNKNOWN, null, null, "no data yet");
        }
        double current = points.get(points.size() - 1).v();
        if (current == 0) {
            return new LagTrend(TrendDirection.CAUGHT_UP, 0.0, null, "caught up");
        }
        // Only the current spell of lag says where it is going: a jump from 0 followed by a steady decrease is
        // catching up, though a line through the zeros before it would rise.
        int firstNonZero = points.size() - 1;
        while (firstNonZero > 0 && points.get(firstNonZero - 1).v() != 0) {
            firstNonZero--;
        }
        Double slope = slopePerSecond(points.subList(firstNonZero, points.size()));
        if (slope == null) {
            return new LagTrend(TrendDirection.UNKNOWN, null, null, "not enough points yet for a trend");
        }
        String over = " over the last " + Units.duration(window);
        // Below a byte a second the lag is flat for any practical purpose.
        if (slope < -1) {
            double eta = current / -slope;
            return new LagTrend(TrendDirection.CATCHING_UP, Math.round(eta * 10) / 10.0, slope,
                    "catching up at " + Units.bytes(Math.round(-slope)) + "/s" + over + ": caught up in about "
                            + Units.duration(Duration.ofSeconds(Math.round(eta))));
        }
        if (slope > 1) {
            return new LagTrend(TrendDirection.FALLING_BEHIND, null, slope,
                    "falling behind: the lag grows by " + Units.bytes(Math.round(slope)) + "/s" + over);
        }
        return new LagTrend(TrendDirection.STEADY, null, slope, "steady at " + Units.bytes(Math.round(current)) + over);
    }

    /** When a slot's safe_wal_size would reach 0 at the current rate; null when it is not shrinking. */
    static Double secondsUntilLost(List<Series.Point> safeWalSize) {
        if (safeWalSize.isEmpty()) {
            return null;
        }
        Double slope = slopePerSecond(safeWalSize);
        double remaining = safeWalSize.get(safeWalSize.size() - 1).v();
        if (slope == null || slope >= -1 || remaining <= 0) {
            return remaining <= 0 ? 0.0 : null;
        }
        return Math.round(remaining / -slope * 10) / 10.0;
    }
}

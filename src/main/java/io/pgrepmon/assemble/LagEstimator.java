package io.pgrepmon.assemble;

import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates how far behind a pair is in seconds. No catalog measures this: bytes behind are exact, time is not.
 * In order of preference:
 * <ol>
 *   <li>a heartbeat, when configured: measured, in the source's clock;</li>
 *   <li>0 bytes behind: caught up, 0 s;</li>
 *   <li>the walsender's {@code replay_lag}: the source's own measure of how long the subscriber took to confirm
 *       recent changes (pgoutput reports progress; the column goes null when the source is idle);</li>
 *   <li>if the confirmed position has not moved across the last three polls: a lower bound, the time since it last
 *       moved (a past rate says nothing about a stalled subscriber);</li>
 *   <li>bytes behind divided by the rate at which the slot's confirmed position advanced over the last minute.</li>
 * </ol>
 * The method used is reported with the figure.
 */
final class LagEstimator {

    static final Duration WINDOW = Duration.ofSeconds(60);

    record Estimate(Double seconds, LagMethod method, String text, Double rateBytesPerSecond) {

        static Estimate unknown(String why) {
            return new Estimate(null, LagMethod.UNKNOWN, why, null);
        }
    }

    private record Sample(Instant at, long confirmed) {
    }

    private final Map<String, Deque<Sample>> history = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastMove = new ConcurrentHashMap<>();

    /** @param heartbeatSeconds the heartbeat's measure when one is configured: preferred to any estimate */
    Estimate estimate(String key, Instant now, Long lagBytes, Lsn confirmed, Long replayLagMillis, Double heartbeatSeconds) {
        Double rate = null;
        Instant movedAt = null;
        if (confirmed != null) {
            Deque<Sample> samples = history.computeIfAbsent(key, k -> new ArrayDeque<>());
            Sample newest = samples.peekLast();
            if (newest == null || newest.confirmed() != confirmed.value()) {
                lastMove.put(key, now);
            }
            samples.addLast(new Sample(now, confirmed.value()));
            while (samples.size() > 2 && Duration.between(samples.peekFirst().at(), now).compareTo(WINDOW) > 0) {
                samples.removeFirst();
            }
            Sample oldest = samples.peekFirst();
            long millis = Duration.between(oldest.at(), now).toMillis();
            if (millis > 0) {
                rate = Math.max(0, confirmed.value() - oldest.confirmed()) * 1000.0 / millis;
            }
            movedAt = lastMove.get(key);
        }
        if (heartbeatSeconds != null) {
            return new Estimate(heartbeatSeconds, LagMethod.HEARTBEAT, "heartbeat: the source's clock at this poll minus the beat the target"
                    + " has applied (measured, even when the source is idle; resolution one interval)", rate);
        }
        if (lagBytes == null) {
            return new Estimate(null, LagMethod.UNKNOWN, "unknown: the slot's confirmed position or the source's current position is not known", rate);
        }
        if (lagBytes == 0) {
            return new Estimate(0.0, LagMethod.CAUGHT_UP, "caught up: the slot has confirmed everything the source has written", rate);
        }
        if (replayLagMillis != null) {
            return new Estimate(replayLagMillis / 1000.0, LagMethod.REPLAY_LAG,
                    "replay_lag of the walsender: how long the subscriber took to confirm recent changes, measured on the source", rate);
        }
        // Not moved across the last three polls while changes wait: the recent rate says nothing about now.
        if (rate != null && movedAt != null && stillForThreeSamples(key)) {
            double still = Duration.between(movedAt, now).toMillis() / 1000.0;
            return new Estimate(still, LagMethod.LOWER_BOUND, "at least: the slot's confirmed position has not moved for "
                    + Units.duration(Duration.between(movedAt, now)) + " while changes wait", rate);
        }
        if (rate != null && rate > 0) {
            return new Estimate(round(lagBytes / rate), LagMethod.APPLY_RATE, "bytes behind / apply rate (" + Units.bytes(Math.round(rate))
                    + "/s over the last " + Units.duration(Duration.ofMillis(windowMillis(key, now))) + ")", rate);
        }
        if (rate != null && movedAt != null) {
            double still = Duration.between(movedAt, now).toMillis() / 1000.0;
            return new Estimate(still, LagMethod.LOWER_BOUND, "at least: the slot's confirmed position has not moved for "
                    + Units.duration(Duration.between(movedAt, now)) + " while changes wait", rate);
        }
        return new Estimate(null, LagMethod.UNKNOWN, "unknown until a second poll measures the apply rate", rate);
    }

    /** Forgets pairs that no longer exist. */
    void forget(java.util.function.Predicate<String> gone) {
        history.keySet().removeIf(gone);
        lastMove.keySet().removeIf(gone);
    }

    private boolean stillForThreeSamples(String key) {
        Deque<Sample> samples = history.get(key);
        if (samples == null || samples.size() < 3) {
            return false;
        }
        var it = samples.descendingIterator();
        long last = it.next().confirmed();
        return it.next().confirmed() == last && it.next().confirmed() == last;
    }

    private long windowMillis(String key, Instant now) {
        Deque<Sample> samples = history.get(key);
        return samples == null || samples.isEmpty() ? 0 : Duration.between(samples.peekFirst().at(), now).toMillis();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}

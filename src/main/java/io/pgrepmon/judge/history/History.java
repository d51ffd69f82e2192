package io.pgrepmon.judge.history;

import io.pgrepmon.config.Settings;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.Trend;
import io.pgrepmon.model.TrendDirection;
import io.pgrepmon.model.Units;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bounded in-memory history of the numbers an operator watches over a migration: per pair the lag in bytes and
 * seconds, per slot the WAL retained and the safe WAL size, per subscription the new errors and the tables ready.
 * Each series holds {@code retention / interval} points and never grows; a series not fed for a whole retention
 * (a pair that went away) is dropped. Fed once per tick by the poller, read by the API: access is synchronized,
 * and each call is short.
 */
@ApplicationScoped
public class History {

    private final Duration retention;
    private final Duration trendWindow;
    private final int capacity;
    private final Map<String, Series> series = new TreeMap<>();
    private final Map<String, Long> lastFed = new HashMap<>();

    @jakarta.inject.Inject
    public History(Settings settings) {
        this(settings.get().history().retention(), settings.get().history().trendWindow(), settings.get().poll().interval());
    }

    /** A history of its own, outside CDI: for tests and tools. */
    public History(Duration retention, Duration trendWindow, Duration interval) {
        this.retention = retention;
        this.trendWindow = trendWindow;
        this.capacity = (int) Math.max(2, retention.toMillis() / Math.max(1, interval.toMillis()) + 1);
    }

    /** Adds this snapshot's points. */
    public synchronized void record(Snapshot snapshot) {
        long t = snapshot.takenAt().toEpochMilli();
        for (PairInfo pair : snapshot.pairs()) {
            add("pair/" + pair.name() + "/lag-bytes", t, pair.lagBytes());
            add("pair/" + pair.name() + "/lag-seconds", t, pair.lagSeconds());
        }
        for (DatabaseSnapshot db : snapshot.databases()) {
            for (SlotReading slot : db.slots().stream().map(SlotInfo::reading).toList()) {
                add("slot/" + db.name() + "/" + slot.name() + "/retained-bytes", t, slot.retainedBytes());
                add("slot/" + db.name() + "/" + slot.name() + "/safe-wal-size", t, slot.safeWalSize());
            }
            for (SubscriptionInfo sub : db.subscriptions()) {
                add("subscription/" + db.name() + "/" + sub.name() + "/new-errors", t,
                        sub.stats() == null ? null : sub.stats().newTotal());
                add("subscription/" + db.name() + "/" + sub.name() + "/tables-ready", t,
                        sub.tables().stream().filter(SubscriptionTable::ready).count());
            }
        }
        lastFed.entrySet().removeIf(e -> {
            boolean gone = t - e.getValue() > retention.toMillis();
            if (gone) {
                series.remove(e.getKey());
            }
            return gone;
        });
    }

    private void add(String name, long t, Number value) {
        if (value == null) {
            return;
        }
        series.computeIfAbsent(name, k -> new Series(capacity)).add(t, value.doubleValue());
        lastFed.put(name, t);
    }

    /** Catch-up estimates of every pair and loss estimates of slots whose WAL is limited. */
    public synchronized List<Trend> trends(Snapshot snapshot) {
        long from = snapshot.takenAt().minus(trendWindow).toEpochMilli();
        List<Trend> trends = new ArrayList<>();
        for (PairInfo pair : snapshot.pairs()) {
            Series lag = series.get("pair/" + pair.name() + "/lag-bytes");
            Trends.LagTrend trend = lag == null ? new Trends.LagTrend(TrendDirection.UNKNOWN, null, null, "lag unknown")
                    : Trends.lag(lag.since(from), trendWindow);
            trends.add(new Trend(pair.name(), "lag", trend.direction(), trend.etaSeconds(), trend.bytesPerSecond(), trend.text()));
        }
        for (DatabaseSnapshot db : snapshot.databases()) {
            for (SlotReading slot : db.slots().stream().map(SlotInfo::reading).toList()) {
                Series safe = series.get("slot/" + db.name() + "/" + slot.name() + "/safe-wal-size");
                if (safe == null) {
                    continue;
                }
                List<Series.Point> points = safe.since(from);
                Double eta = Trends.secondsUntilLost(points);
                Double slope = Trends.slopePerSecond(points);
                trends.add(new Trend(db.name() + "/" + slot.name(), "slot-loss", eta == null ? TrendDirection.STABLE : TrendDirection.SHRINKING, eta, slope,
                        eta == null ? "safe_wal_size is not shrinking over the last " + Units.duration(trendWindow)
                                : "at the current rate the slot would lose WAL in about " + Units.duration(Duration.ofSeconds(Math.round(eta)))));
            }
        }
        return trends;
    }

    /** The points of one series within the window, oldest first; empty for an unknown series. */
    public synchronized List<Series.Point> points(String name, Duration window, long nowMillis) {
        Series s = series.get(name);
        return s == null ? List.of() : s.since(nowMillis - window.toMillis());
    }

    /**
     * One series over the window in {@code steps} equal steps, each the step's highest value (NaN without a point),
     * oldest first; null for an unknown series.
     */
    public synchronized double[] stepMaxima(String name, Duration window, int steps, long nowMillis) {
        Series s = series.get(name);
        return s == null ? null : s.stepMaxima(nowMillis - window.toMillis(), nowMillis, steps);
    }

    public synchronized List<String> names() {
        return List.copyOf(series.keySet());
    }

    /** Points each series can hold. */
    public int capacity() {
        return capacity;
    }

    /** Memory the points take: 16 bytes per point slot, allocated up front per series. */
    public synchronized long bytes() {
        return (long) series.size() * capacity * Series.BYTES_PER_POINT;
    }

    public Duration retention() {
        return retention;
    }
}

package io.pgrepmon.judge.history;

import io.pgrepmon.model.TrendDirection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrendsTest {

    static List<Series.Point> line(double start, double perSecond, int points) {
        List<Series.Point> list = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            list.add(new Series.Point(1_000_000L + i * 5000L, start + perSecond * i * 5));
        }
        return list;
    }

    @Test
    void slopeIsTheLeastSquaresRate() {
        assertThat(Trends.slopePerSecond(line(1000, -10, 10))).isCloseTo(-10.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Trends.slopePerSecond(line(1000, 0, 2))).as("too few points").isNull();
    }

    @Test
    void lagTrendSaysWhenItWillBeCaughtUpOrThatItFallsBehind() {
        Trends.LagTrend catching = Trends.lag(line(10_000, -100, 12), Duration.ofMinutes(1));
        // 10 000 - 100 * 55 = 4 500 bytes left at 100 B/s: 45 s.
        assertThat(catching.direction()).isEqualTo(TrendDirection.CATCHING_UP);
        assertThat(catching.etaSeconds()).isEqualTo(45.0);
        assertThat(catching.text()).isEqualTo("catching up at 100 B/s over the last 60 s: caught up in about 45 s");
        Trends.LagTrend falling = Trends.lag(line(10_000, 2048, 12), Duration.ofMinutes(1));
        assertThat(falling.direction()).isEqualTo(TrendDirection.FALLING_BEHIND);
        assertThat(falling.etaSeconds()).isNull();
        assertThat(falling.text()).contains("grows by 2.0 KiB/s");
        assertThat(Trends.lag(line(0, 0, 5), Duration.ofMinutes(1)).direction()).isEqualTo(TrendDirection.CAUGHT_UP);
        assertThat(Trends.lag(line(500, 0, 5), Duration.ofMinutes(1)).direction()).isEqualTo(TrendDirection.STEADY);
        assertThat(Trends.lag(line(500, -1, 2), Duration.ofMinutes(1)).direction()).isEqualTo(TrendDirection.UNKNOWN);
    }

    @Test
    void onlyTheCurrentSpellOfLagCounts() {
        List<Series.Point> points = new ArrayList<>(line(0, 0, 20));
        // Jump to 1 MB, then down 20 KB/s: the zeros before must not make it look like it is growing.
        List<Series.Point> spell = line(1_000_000, -20_000, 6);
        for (Series.Point p : spell) {
            points.add(new Series.Point(p.t() + 100_000L, p.v()));
        }
        Trends.LagTrend trend = Trends.lag(points, Duration.ofMinutes(5));
        assertThat(trend.direction()).isEqualTo(TrendDirection.CATCHING_UP);
        // 500 000 bytes left at 20 000 B/s.
        assertThat(trend.etaSeconds()).isEqualTo(25.0);
    }

    @Test
    void slotLossEtaComesFromTheShrinkingSafeWalSize() {
        // 1 MiB left after 50 s of shrinking by 1 KiB/s: 1024 s to go.
        List<Series.Point> shrinking = line(1024 * 1024 + 1024 * 50, -1024, 11);
        assertThat(Trends.secondsUntilLost(shrinking)).isEqualTo(1024.0);
        assertThat(Trends.secondsUntilLost(line(1024 * 1024, 0, 11))).isNull();
        assertThat(Trends.secondsUntilLost(line(-5, -1, 5))).as("already past").isEqualTo(0.0);
    }

    @Test
    void seriesIsBoundedAndHistoryMemoryIsAsStated() {
        Series series = new Series(10);
        for (int i = 0; i < 1000; i++) {
            series.add(i, i);
        }
        assertThat(series.size()).isEqualTo(10);
        assertThat(series.since(0)).extracting(Series.Point::v).containsExactly(990.0, 991.0, 992.0, 993.0, 994.0, 995.0,
                996.0, 997.0, 998.0, 999.0);
        History history = new History(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(5));
        assertThat(history.capacity()).isEqualTo(721);
        assertThat(history.bytes()).isZero();
    }
}

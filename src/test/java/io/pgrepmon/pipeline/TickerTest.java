package io.pgrepmon.pipeline;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TickerTest {

    private final Vertx vertx = Vertx.vertx();
    private Ticker ticker;

    @AfterEach
    void stop() {
        if (ticker != null) {
            ticker.stop();
        }
        vertx.closeAndAwait();
    }

    /** Start times of the runs, in ms since the first. */
    private static List<Long> since(List<Long> nanos) {
        return nanos.stream().map(n -> (n - nanos.get(0)) / 1_000_000).toList();
    }

    @Test
    void aRunThatOverrunsItsIntervalIsFollowedAtOnceNotAnIntervalLater() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        ticker = new Ticker(vertx, Duration.ofMillis(400), () -> {
            starts.add(System.nanoTime());
            // each run takes 1.5 intervals
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(600));
        });
        ticker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() >= 4);
        List<Long> at = since(starts);
        for (int i = 1; i < at.size(); i++) {
            // skipping the run that fell inside would make it 800 ms (two intervals)
            assertThat(at.get(i) - at.get(i - 1)).as("gap before run %d of %s", i, at).isBetween(600L, 790L);
        }
    }

    @Test
    void aQuickRunIsFollowedOneIntervalAfterItStartedAndAFailureDoesNotStopTheTicks() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        ticker = new Ticker(vertx, Duration.ofMillis(300), () -> {
            starts.add(System.nanoTime());
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("a run that fails before its Uni");
            }
            return runs.get() == 3 ? Uni.createFrom().failure(new IllegalStateException("a failed run"))
                    : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100));
        });
        ticker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() >= 5);
        List<Long> at = since(starts);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("gap before run %d of %s", i, at).isBetween(290L, 590L);
        }
    }

    @Test
    void noRunStartsAfterStop() {
        AtomicInteger runs = new AtomicInteger();
        ticker = new Ticker(vertx, Duration.ofMillis(100), () -> {
            runs.incrementAndGet();
            return Uni.createFrom().voidItem();
        });
        ticker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2);
        ticker.stop();
        int stoppedAt = runs.get();
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() <= stoppedAt + 1);
        assertThat(runs.get()).isLessThanOrEqualTo(stoppedAt + 1);
    }
}

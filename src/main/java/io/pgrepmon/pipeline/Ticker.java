package io.pgrepmon.pipeline;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a task once per interval without overlap: the next run starts one interval after the previous one started,
 * or as soon as it ends when it took longer, so a late run is never queued twice and never costs a whole interval.
 *
 * <p>Written on a Vert.x timer rather than the Quarkus scheduler: the scheduler checks its triggers once a second and
 * skips a run while the previous one is still going, so a tick that overran its interval by a few milliseconds
 * waited a whole interval, and up to a second more, for the next.
 */
final class Ticker {

    private final Vertx vertx;
    private final long intervalMillis;
    private final Supplier<Uni<Void>> task;
    private volatile boolean stopped;
    private volatile long timer = -1;

    Ticker(Vertx vertx, Duration interval, Supplier<Uni<Void>> task) {
        this.vertx = vertx;
        this.intervalMillis = interval.toMillis();
        this.task = task;
    }

    /** The first run starts now. */
    void start() {
        arm(0);
    }

    /** No run starts after this; one in flight finishes on its own. */
    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void arm(long delayMillis) {
        if (stopped) {
            return;
        }
        // Each run on a duplicated context of its own, as Quarkus runs a request: what the run puts in the log's MDC
        // (the tick, an alert's subject) lives there, where a root context would drop it.
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> VertxContext.createNewDuplicatedContext(
                vertx.getDelegate().getOrCreateContext()).runOnContext(ignored -> run()));
    }

    private void run() {
        long started = System.nanoTime();
        Runnable next = () -> arm(intervalMillis - (System.nanoTime() - started) / 1_000_000);
        Uni<Void> run;
        try {
            run = task.get();
        } catch (RuntimeException e) {
            run = Uni.createFrom().failure(e);
        }
        run.subscribe().with(done -> next.run(), failed -> next.run());
    }
}

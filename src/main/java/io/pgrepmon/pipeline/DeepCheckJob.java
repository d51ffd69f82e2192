package io.pgrepmon.pipeline;

import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.DeepChecker;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The deep cutover checks, on their slow schedule and on request, over the pairs of the latest snapshot. */
@ApplicationScoped
public class DeepCheckJob {

    static final String JOB = "cutover-deep-checks";

    private final DeepChecker deepChecker;
    private final SnapshotHub hub;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration verifyTimeout;
    private final Duration settle;
    private final Map<String, Uni<Optional<PairCutover>>> inFlight = new ConcurrentHashMap<>();

    public DeepCheckJob(DeepChecker deepChecker, SnapshotHub hub, Scheduler scheduler, Settings settings) {
        this.deepChecker = deepChecker;
        this.hub = hub;
        this.scheduler = scheduler;
        this.interval = settings.get().cutover().deepCheckInterval();
        this.settle = settings.get().cutover().verifySettle();
        this.verifyTimeout = settings.get().cutover().deepCheckTimeout().plus(settle).plus(settings.get().poll().staleAfter());
    }

    void start(@Observes StartupEvent event) {
        if (!interval.isZero()) {
            scheduler.newJob(JOB).setInterval(interval.toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> runNow().replaceWithVoid())
                    .schedule();
        }
    }

    /**
     * The gate at the moment of cutover: runs every deep check of the pair now, then answers with the verdict of
     * the first snapshot taken after they finished and at least {@code verify-settle} after they began (so that it judges them against that
     * tick's activity and lag, and against row counters that have had time to show a write on the target made
     * just before). Concurrent calls for a pair share one run. Bounded by the deep-check timeout, the settle time
     * and the time a tick may take.
     *
     * @return the verdict, or empty when there is no snapshot yet or no such pair
     */
    public Uni<Optional<PairCutover>> verify(String pair) {
        Uni<Optional<PairCutover>> shared = inFlight.computeIfAbsent(pair, p -> startVerify(p).memoize().indefinitely());
        return shared.onTermination().invoke(() -> inFlight.remove(pair, shared));
    }

    private Uni<Optional<PairCutover>> startVerify(String pair) {
        Optional<SnapshotHub.Published> latest = hub.latest();
        if (latest.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        // The deep checks read the catalogs' row counters first: the answer comes from a tick at least the settle
        // time after that (and after they finished), when a write on the target just before has shown.
        Instant settled = Instant.now().plus(settle);
        return deepChecker.runPair(latest.get().snapshot(), pair).flatMap(deep -> {
            if (deep.isEmpty()) {
                return Uni.createFrom().item(Optional.<PairCutover>empty());
            }
            Instant done = Instant.now();
            return hub.updates().filter(p -> p.snapshot().takenAt().isAfter(done)
                            && p.snapshot().takenAt().isAfter(settled)).toUni()
                    // the hub completes without an item when the monitor stops
                    .onItem().ifNull().failWith(() -> new IllegalStateException("the monitor is stopping"))
                    .map(p -> p.snapshot().cutover().stream().filter(v -> v.pair().equals(pair)).findFirst());
        }).ifNoItem().after(verifyTimeout).failWith(() -> new java.util.concurrent.TimeoutException(
                "the deep checks and the next tick did not finish within " + verifyTimeout.toSeconds()
                        + " s (monitor.cutover.deep-check-timeout and verify-settle, plus a tick)"));
    }

    /** Runs the deep checks of every linked pair of the latest snapshot now; nothing before the first snapshot. */
    public Uni<List<DeepCheck>> runNow() {
        return hub.latest().map(published -> deepChecker.runAll(published.snapshot()))
                .orElseGet(() -> Uni.createFrom().item(List.of()));
    }
}

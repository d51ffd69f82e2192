package io.pgrepmon.pipeline;

import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.DeepChecker;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.Snapshot;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The deep cutover checks, on their slow schedule and on request, over the pairs of the latest snapshot. */
@ApplicationScoped
public class DeepCheckJob {

    static final String JOB = "cutover-deep-checks";

    private final DeepChecker deepChecker;
    private final SnapshotHub hub;
    private final CutoverStage cutover;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration verifyTimeout;
    private final Duration settle;
    private final Duration quietPeriod;
    private final Map<String, Uni<Optional<PairCutover>>> inFlight = new ConcurrentHashMap<>();

    public DeepCheckJob(DeepChecker deepChecker, CutoverStage cutover, SnapshotHub hub, Scheduler scheduler,
                        Settings settings) {
        this.deepChecker = deepChecker;
        this.cutover = cutover;
        this.hub = hub;
        this.scheduler = scheduler;
        this.interval = settings.get().cutover().deepCheckInterval();
        this.settle = settings.get().cutover().verifySettle();
        this.quietPeriod = settings.get().cutover().quietPeriod();
        this.verifyTimeout = settings.get().cutover().deepCheckTimeout().plus(settle).plus(quietPeriod)
                .plus(settings.get().poll().staleAfter());
    }

    void start(@Observes StartupEvent event) {
        if (!interval.isZero()) {
            // The first run one interval after start: at start there is no snapshot to check, and a run then races
            // a start-up that is refused (a port in use), whose shutdown tears down what the run needs.
            scheduler.newJob(JOB).setInterval(interval.toString()).setDelayed(interval.toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> runNow().replaceWithVoid())
                    .schedule();
        }
    }

    /**
     * The gate at the moment of cutover: runs every deep check of the pair now, then answers with the verdict of
     * the first snapshot taken after they finished and at least {@code verify-settle} after they began (so that it
     * judges them against that tick's activity and lag, and against row counters that have had time to show a write
     * on the target made just before). Concurrent calls for a pair share one run. Bounded by the deep-check
     * timeout, the settle time, the quiet period and the time a tick may take. When the source's quiet period is
     * all that keeps the pair from Ready, it waits for that (at most a quiet period from the call) instead of
     * answering Not ready.
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
        Instant begun = Instant.now();
        Instant settled = begun.plus(settle);
        // Called right after writes stopped, the source is quiet only a quiet period later: the gate waits for it
        // rather than answer 409 for that alone, so one call answers as soon as the pair can be Ready.
        Instant quietBy = begun.plus(quietPeriod);
        return deepChecker.runPair(latest.get().snapshot(), pair).flatMap(deep -> {
            if (deep.isEmpty()) {
                return Uni.createFrom().item(Optional.<PairCutover>empty());
            }
            Instant done = Instant.now();
            confirmNextTick(latest.get().snapshot(), Set.of(pair));
            return hub.updates().filter(p -> p.snapshot().takenAt().isAfter(done)
                            && p.snapshot().takenAt().isAfter(settled))
                    .map(p -> p.snapshot().cutover().stream().filter(v -> v.pair().equals(pair)).findFirst())
                    .filter(v -> !onlyQuieting(v.orElse(null)) || Instant.now().isAfter(quietBy))
                    .toUni()
                    // the hub completes without an item when the monitor stops
                    .onItem().ifNull().failWith(() -> new IllegalStateException("the monitor is stopping"));
        }).ifNoItem().after(verifyTimeout).failWith(() -> new java.util.concurrent.TimeoutException(
                "the deep checks and the next tick did not finish within " + verifyTimeout.toSeconds()
                        + " s (monitor.cutover.deep-check-timeout, verify-settle and quiet-period, plus a tick)"));
    }

    /**
     * Whether the verdict waits only for the quiet period: nothing fails but source-quiet, and that because rows
     * changed recently (no transaction open or prepared, nothing unknown).
     */
    static boolean onlyQuieting(PairCutover verdict) {
        if (verdict == null) {
            return false;
        }
        List<CutoverCheck> open = verdict.checks().stream().filter(c -> c.result() != CutoverCheck.Result.PASS).toList();
        return open.size() == 1 && open.get(0).id().equals("source-quiet") && open.get(0).result() == CutoverCheck.Result.FAIL
                && open.get(0).evidence().startsWith("rows changed ");
    }

    /** Runs the deep checks of every linked pair of the latest snapshot now; nothing before the first snapshot. */
    public Uni<List<DeepCheck>> runNow() {
        return hub.latest().map(published -> deepChecker.runAll(published.snapshot())
                        .invoke(done -> confirmNextTick(published.snapshot(),
                                done.stream().map(DeepCheck::pair).collect(java.util.stream.Collectors.toSet()))))
                .orElseGet(() -> Uni.createFrom().item(List.of()));
    }

    /** So that the next tick judges fresh deep results against table definitions hashed in it, not carried. */
    private void confirmNextTick(Snapshot snapshot, Set<String> pairs) {
        Set<String> databases = new java.util.HashSet<>();
        snapshot.pairs().stream().filter(p -> pairs.contains(p.name()))
                .forEach(p -> databases.addAll(List.of(p.sourceDatabase(), p.targetDatabase())));
        cutover.confirmNextTick(databases);
    }
}

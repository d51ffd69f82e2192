package io.pgrepmon.pipeline;

import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.DeepChecker;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;

/** The deep cutover checks, on their slow schedule and on request, over the pairs of the latest snapshot. */
@ApplicationScoped
public class DeepCheckJob {

    static final String JOB = "cutover-deep-checks";

    private final DeepChecker deepChecker;
    private final SnapshotHub hub;
    private final Scheduler scheduler;
    private final Duration interval;

    public DeepCheckJob(DeepChecker deepChecker, SnapshotHub hub, Scheduler scheduler, Settings settings) {
        this.deepChecker = deepChecker;
        this.hub = hub;
        this.scheduler = scheduler;
        this.interval = settings.get().cutover().deepCheckInterval();
    }

    void start(@Observes StartupEvent event) {
        if (!interval.isZero()) {
            scheduler.newJob(JOB).setInterval(interval.toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> runNow().replaceWithVoid())
                    .schedule();
        }
    }

    /** Runs the deep checks of every linked pair of the latest snapshot now; nothing before the first snapshot. */
    public Uni<List<DeepCheck>> runNow() {
        return hub.latest().map(published -> deepChecker.runAll(published.snapshot()))
                .orElseGet(() -> Uni.createFrom().item(List.of()));
    }
}

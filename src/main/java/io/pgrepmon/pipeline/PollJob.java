package io.pgrepmon.pipeline;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClients;
import io.pgrepmon.judge.alert.Alerting;
import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.List;

/**
 * The tick, once per interval: read every database, assemble one snapshot, judge it (trends, cutover, alerts),
 * publish it. Ticks never overlap (see {@link Ticker}); the per-database deadlines keep one within its interval.
 */
@ApplicationScoped
public class PollJob {

    private final Settings settings;
    private final Ticker ticker;
    private final DatabaseClients clients;
    private final ReadStage read;
    private final AssembleStage assemble;
    private final TrendStage trends;
    private final CutoverStage cutover;
    private final Alerting alerts;
    private final SnapshotHub hub;
    /** Set at shutdown: a tick still in flight then fails as the beans it calls go away, which is expected. */
    private volatile boolean stopping;

    public PollJob(Settings settings, Vertx vertx, DatabaseClients clients,
                   ReadStage read, AssembleStage assemble, TrendStage trends, CutoverStage cutover, Alerting alerts,
                   SnapshotHub hub) {
        this.settings = settings;
        this.ticker = new Ticker(vertx, settings.get().poll().interval(), this::tick);
        this.clients = clients;
        this.read = read;
        this.assemble = assemble;
        this.trends = trends;
        this.cutover = cutover;
        this.alerts = alerts;
        this.hub = hub;
    }

    /**
     * {@link Settings} validated the whole configuration when it was created (injected here), so an invalid one
     * has already stopped start-up before anything connects.
     */
    void start(@Observes @Priority(10) StartupEvent event) {
        List<DatabaseSettings> databases = settings.get().databases();
        ticker.start();
        var shard = settings.get().shard();
        if (shard.count() > 1) {
            Log.infof("Shard %d of %d (monitor.shard): %d of the %d configured databases are this instance's", shard.index(),
                    shard.count(), databases.size(), shard.configured());
        }
        Log.infof("Watching %d database(s) every %d ms: %s", databases.size(), settings.get().poll().interval().toMillis(),
                databases.stream().map(db -> db.name() + " (" + db.role().json() + ", " + db.host() + ":" + db.port() + ")").toList());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        ticker.stop();
        hub.complete();
        clients.close();
    }

    Uni<Void> tick() {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        io.vertx.core.Context tickContext = io.vertx.core.Vertx.currentContext();
        return read.read(cutover.catalogsToConfirm())
                // The databases answer on their connections' event loops; the rest of the tick runs on its own context.
                .emitOn(command -> {
                    if (tickContext == null) {
                        command.run();
                    } else {
                        tickContext.runOnContext(ignored -> command.run());
                    }
                })
                .map(readings -> assemble.assemble(readings, start, (System.nanoTime() - t0) / 1_000_000))
                .map(trends::apply)
                .map(cutover::apply)
                .map(alerts::apply)
                .invoke(hub::publish)
                // the benchmark reads these (category io.pgrepmon.pipeline at DEBUG): a tick's read and whole time
                .invoke(s -> {
                    MDC.put("tick", Long.toString(s.sequence()));
                    Log.debugf("tick %d: read %d database(s) in %d ms, published after %d ms", s.sequence(),
                            s.databases().size(), s.tookMillis(), (System.nanoTime() - t0) / 1_000_000);
                    MDC.remove("tick");
                })
                .onFailure().invoke(e -> {
                    if (stopping) {
                        Log.debugf("tick in flight at shutdown abandoned: %s", e.getMessage());
                    } else {
                        Log.error("tick failed; the previous snapshot stays published", e);
                    }
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}

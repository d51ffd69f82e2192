package io.pgrepmon.probe;

import io.pgrepmon.alert.Alerting;
import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.MonitorConfig;
import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.config.Settings;
import io.pgrepmon.cutover.CutoverEvaluator;
import io.pgrepmon.cutover.DeepChecker;
import io.pgrepmon.db.DatabaseClient;
import io.pgrepmon.history.History;
import io.pgrepmon.snapshot.DatabaseReading;
import io.pgrepmon.snapshot.Heartbeat;
import io.pgrepmon.snapshot.ProbeReport;
import io.pgrepmon.snapshot.PublicationInfo;
import io.pgrepmon.snapshot.ServerInfo;
import io.pgrepmon.snapshot.SlotInfo;
import io.pgrepmon.snapshot.SlotStats;
import io.pgrepmon.snapshot.SnapshotAssembler;
import io.pgrepmon.snapshot.SnapshotHub;
import io.pgrepmon.snapshot.SourceActivity;
import io.pgrepmon.snapshot.SubscriptionInfo;
import io.pgrepmon.snapshot.SubscriptionStatsRow;
import io.pgrepmon.snapshot.SubscriptionTableRow;
import io.pgrepmon.snapshot.TableInfo;
import io.pgrepmon.snapshot.WalSenderInfo;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Polls every configured database once per interval, all at once, each under its own deadline, and publishes
 * one snapshot per tick. A tick is skipped, not queued, if the previous one has not finished, so ticks never
 * overlap; the deadlines keep that from happening in practice.
 */
@ApplicationScoped
public class Poller {

    static final String JOB = "poll-databases";

    private final MonitorConfig config;
    private final Settings settings;
    private final Vertx vertx;
    private final SnapshotHub hub;
    private final Scheduler scheduler;
    private final DeepChecker deepChecker;
    private final History history;
    private final Alerting alerting;
    private final SlotsProbe slots = new SlotsProbe();
    private final SlotStatsProbe slotStats = new SlotStatsProbe();
    private final WalSendersProbe walSenders = new WalSendersProbe();
    private final PublicationsProbe publications = new PublicationsProbe();
    private final TablesProbe tables = new TablesProbe();
    private final SubscriptionsProbe subscriptions = new SubscriptionsProbe();
    private final SubscriptionTablesProbe subscriptionTables = new SubscriptionTablesProbe();
    private final SubscriptionStatsProbe subscriptionStats = new SubscriptionStatsProbe();
    private final ActivityProbe activity = new ActivityProbe();
    private volatile List<DatabaseClient> clients = List.of();
    private volatile SnapshotAssembler assembler;
    private volatile Instant startedAt;
    /** Set at shutdown: a tick still in flight then fails as the beans it calls go away, which is expected. */
    private volatile boolean stopping;

    public Poller(MonitorConfig config, Settings settings, Vertx vertx, SnapshotHub hub, Scheduler scheduler,
                  DeepChecker deepChecker, History history, Alerting alerting) {
        this.config = config;
        this.alerting = alerting;
        this.deepChecker = deepChecker;
        this.history = history;
        this.settings = settings;
        this.vertx = vertx;
        this.hub = hub;
        this.scheduler = scheduler;
    }

    /**
     * {@link Settings} validated the whole configuration when it was created (injected here), so an invalid one
     * has already stopped start-up before anything connects.
     */
    void start(@Observes @Priority(10) StartupEvent event) {
        MonitorSettings validated = settings.get();
        List<DatabaseSettings> databases = validated.databases();
        startedAt = Instant.now();
        clients = databases.stream().map(db -> new DatabaseClient(db, config, vertx)).toList();
        assembler = new SnapshotAssembler(config.thresholds(), config.refreshInterval(), validated.pairs(),
                validated.heartbeats(), startedAt);
        scheduler.newJob(JOB)
                .setInterval(config.refreshInterval().toString()) // ISO-8601, e.g. PT5S
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> tick())
                .schedule();
        Log.infof("Watching %d database(s) every %d ms: %s", databases.size(), config.refreshInterval().toMillis(),
                databases.stream().map(db -> db.name() + " (" + db.role().json() + ", " + db.host() + ":" + db.port() + ")").toList());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        scheduler.unscheduleJob(JOB);
        hub.complete();
        // Closing is asynchronous; Quarkus closes Vert.x afterwards, which waits for the pools to finish closing.
        clients.forEach(client -> client.close().subscribe().with(ignored -> { },
                e -> Log.debugf("closing pool of %s: %s", client.settings().name(), client.settings().redact(e.getMessage()))));
    }

    /** The databases' clients, for tests that poll one directly. */
    List<DatabaseClient> clients() {
        return clients;
    }

    /** When polling was scheduled; null before start-up completes. */
    public Instant startedAt() {
        return startedAt;
    }

    Uni<Void> tick() {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        List<Uni<DatabaseReading>> polls = clients.stream().map(this::poll).toList();
        return Uni.join().all(polls).andCollectFailures()
                .map(readings -> assembler.assemble(readings, start, (System.nanoTime() - t0) / 1_000_000))
                .map(snapshot -> {
                    history.record(snapshot);
                    return snapshot.withTrends(history.trends(snapshot));
                })
                .map(snapshot -> snapshot.withCutover(CutoverEvaluator.evaluate(snapshot, deepChecker.results(),
                        config.cutover(), startedAt, Instant.now())))
                .map(alerting::apply)
                .invoke(hub::publish)
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

    /** Never fails: an unreachable or slow database becomes a reading with its error. */
    Uni<DatabaseReading> poll(DatabaseClient client) {
        DatabaseSettings db = client.settings();
        Instant polledAt = Instant.now();
        long t0 = System.nanoTime();
        Duration deadline = config.queryTimeout();
        return client.pool().withConnection(connection -> ServerInfoProbe.read(connection)
                        .flatMap(server -> readProbes(connection, db, server, polledAt, t0)))
                .ifNoItem().after(deadline).failWith(() -> new TimeoutException(
                        "no answer within " + deadline.toMillis() + " ms (monitor.query-timeout)"))
                .onFailure(TimeoutException.class).invoke(client::reset)
                .onFailure().recoverWithItem(e -> DatabaseReading.unreachable(db, polledAt, millisSince(t0),
                        db.redact(client.explain(describe(e)))));
    }

    private Uni<DatabaseReading> readProbes(SqlConnection connection, DatabaseSettings db, ServerInfo server,
                                            Instant polledAt, long t0) {
        // The queries are pipelined on the one connection: each probe runs and fails on its own. Probes that do not
        // apply to the database's role and version answer at once with nothing.
        Uni<SourceRuns> source = Uni.combine().all().unis(
                        run(slots, connection, db, server),
                        run(slotStats, connection, db, server),
                        run(walSenders, connection, db, server),
                        run(publications, connection, db, server),
                        run(tables, connection, db, server),
                        run(activity, connection, db, server),
                        run(new HeartbeatProbe(db.heartbeatSchema(), Role.SOURCE), connection, db, server))
                .with(SourceRuns::new);
        Uni<TargetRuns> target = Uni.combine().all().unis(
                        run(subscriptions, connection, db, server),
                        run(subscriptionTables, connection, db, server),
                        run(subscriptionStats, connection, db, server),
                        run(new HeartbeatProbe(db.heartbeatSchema(), Role.TARGET), connection, db, server))
                .with(TargetRuns::new);
        return Uni.combine().all().unis(source, target).with((s, t) -> new DatabaseReading(db, polledAt,
                millisSince(t0), server, null,
                Stream.of(s.slots, s.slotStats, s.walSenders, s.publications, s.tables, s.activity, s.heartbeat,
                        t.subscriptions, t.tables, t.stats, t.heartbeat).map(Run::report).filter(Objects::nonNull).toList(),
                s.slots.value(), s.slotStats.value(), s.walSenders.value(), s.publications.value(), s.tables.value(),
                t.subscriptions.value(), t.tables.value(), t.stats.value(), s.activity.value(),
                db.role() == Role.SOURCE ? s.heartbeat.value() : t.heartbeat.value()));
    }

    private record SourceRuns(Run<SlotInfo> slots, Run<SlotStats> slotStats, Run<WalSenderInfo> walSenders,
                              Run<PublicationInfo> publications, Run<TableInfo> tables, Run<SourceActivity> activity,
                              Run<Heartbeat> heartbeat) {
    }

    private record TargetRuns(Run<SubscriptionInfo> subscriptions, Run<SubscriptionTableRow> tables,
                              Run<SubscriptionStatsRow> stats, Run<Heartbeat> heartbeat) {
    }

    private record Run<T>(List<T> value, ProbeReport report) {
    }

    /** Runs one probe if it applies; its failure is reported and leaves its list empty, the others go on. */
    private <T> Uni<Run<T>> run(Probe<T> probe, SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        if (!probe.appliesTo(db.role(), server)) {
            return Uni.createFrom().item(new Run<>(List.of(), null));
        }
        long t0 = System.nanoTime();
        return probe.read(connection, server)
                .map(value -> new Run<>(value, new ProbeReport(probe.name(), millisSince(t0), null)))
                .onFailure().recoverWithItem(e -> new Run<>(List.of(),
                        new ProbeReport(probe.name(), millisSince(t0), db.redact(describeProbeFailure(e)))));
    }

    /** A missing privilege is said as such, with the grant that fixes it, instead of a bare SQL error. */
    static String describeProbeFailure(Throwable e) {
        if (e instanceof PgException pg && "42501".equals(pg.getSqlState())) {
            return "missing privilege: " + describe(e)
                    + " (grant pg_monitor to the monitor's role, or SELECT on the object named)";
        }
        return describe(e);
    }

    /**
     * The message and its causes' messages: a driver's wrapper often says little ("Connection failed") and its
     * cause the rest. An unknown host, whose message is only the name, is said in words.
     */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t) && seen.size() <= 5; t = t.getCause()) {
            String message = t instanceof java.net.UnknownHostException
                    ? "unknown host " + t.getMessage() + " (the name does not resolve: check monitor.databases[].host and DNS)"
                    : t.getMessage();
            if (message == null || message.isBlank() || text.indexOf(message) >= 0) {
                continue;
            }
            // A wrapper often repeats its cause's message after the class name: keep only new text.
            text.append(text.isEmpty() ? "" : ": ").append(message.replaceFirst("^[\\w.$]+(Exception|Error): ", ""));
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

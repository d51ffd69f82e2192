package io.pgrepmon.db;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.MonitorSettings;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The one connection of a monitored database, and the deadline of each use. Built on a Vert.x PG pool of one
 * (not a Quarkus datasource, since the list of databases is runtime configuration), which opens the connection on
 * demand, so a database that comes back is reconnected on the next tick.
 *
 * <p>A use that misses its deadline fails at once, but its work goes on and the connection is kept: dropping it at
 * every missed deadline made a loaded fleet authenticate again at every tick and never catch up. A use that finds
 * work still running queues its own behind it, to start as soon as the connection is free, so that what it gets
 * was read after it asked, never an answer begun before; at most one work waits so, and later uses share it. Work
 * still running three deadlines after it began, or after its turn to connect came (a server that hangs, a network
 * that drops packets), has its connection dropped and the next use starts clean; work waiting for its turn to
 * connect ({@link ConnectGate}) is not hung, only queued.
 */
public final class DatabaseClient {

    /** Shown in pg_stat_activity, so an operator (and the tests) can tell the monitor's sessions apart. */
    public static final String APPLICATION_NAME = "pg-replication-monitor";

    /** One connection is enough: a database's probes run one after the other on it. */
    static final int POOL_SIZE = 1;

    /** How many deadlines a use's work may run before its connection is taken for hung and dropped. */
    static final int HUNG_AFTER_DEADLINES = 3;

    /**
     * How long a probe may wait for a lock. The probes avoid opening user tables, and skip what someone holds an
     * ACCESS EXCLUSIVE lock on; this bounds the race where a lock is taken in between, so that a probe fails on its
     * own at once instead of holding up those behind it on the connection until the deadline.
     */
    static final String LOCK_TIMEOUT = "100ms";

    private final DatabaseSettings settings;
    private final MonitorSettings.Poll poll;
    private final Vertx vertx;
    private final ConnectGate gate;
    private volatile Pool pool;
    /** The work on the connection (running or done), and the one queued behind it, not started yet. */
    private Work current;
    private Work pending;
    /** This database's connection attempt waiting for its turn at the gate, or holding its place there. */
    private final AtomicReference<Promise<ConnectGate.Permit>> queued = new AtomicReference<>();
    private final AtomicReference<Held> held = new AtomicReference<>();
    /** Tells this pool's connection attempts from those of a pool dropped before them. */
    private volatile Object poolToken;

    /** A place at the gate, and the pool whose connection attempt holds it. */
    private record Held(Object pool, ConnectGate.Permit permit) {
    }
    /** When this database's last turn to connect came (System.nanoTime). */
    private volatile long grantedNanos = Long.MIN_VALUE;

    /** One use's work: what it runs and its answer; {@code startedNanos} once it is on the connection. */
    private static final class Work {
        final Function<SqlConnection, Uni<Object>> run;
        final CompletableFuture<Object> done = new CompletableFuture<>();
        long startedNanos;

        Work(Function<SqlConnection, Uni<Object>> run) {
            this.run = run;
        }
    }

    public DatabaseClient(DatabaseSettings settings, MonitorSettings.Poll poll, Vertx vertx, ConnectGate gate) {
        this.settings = settings;
        this.poll = poll;
        this.vertx = vertx;
        this.gate = gate;
        this.pool = newPool();
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /**
     * Runs {@code work} on the connection as soon as it is free, and fails with a {@link DeadlineException} when no
     * answer comes within the deadline. A use that finds a work already queued shares its answer: that work had not
     * started when this use asked, and every use of one client runs the same kind of work (the tick's reading).
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> withConnection(Function<SqlConnection, Uni<T>> work, Duration deadline) {
        Function<SqlConnection, Uni<Object>> untyped = (Function<SqlConnection, Uni<Object>>) (Function<?, ?>) work;
        Work use;
        String waitingFor = "";
        synchronized (this) {
            boolean running = current != null && !current.done.isDone();
            // Time spent waiting at the gate is not running: under load, a queue there is long but moving.
            long runningNanos = running ? System.nanoTime() - Math.max(current.startedNanos, grantedNanos) : 0;
            if (running && queued.get() == null && runningNanos >= HUNG_AFTER_DEADLINES * deadline.toNanos()) {
                Log.debugf("%s: the poll that began %d ms ago is still running, past %d deadlines: connection dropped",
                        settings.name(), runningNanos / 1_000_000, HUNG_AFTER_DEADLINES);
                reset();
                running = false;
            }
            if (running) {
                waitingFor = queued.get() != null
                        ? "; waiting for its turn to connect (" + gate.waiting() + " database(s) queued, "
                                + gate.inUse() + " connecting; monitor.connect-concurrency)"
                        : "; the poll before it, begun " + runningNanos / 1_000_000 + " ms earlier, was still running";
                if (pending == null) {
                    pending = new Work(untyped);
                }
                use = pending;
            } else {
                use = new Work(untyped);
                start(use);
            }
        }
        String suffix = waitingFor;
        // A copy: giving up on it must not cancel the work, which a later use may share.
        return Uni.createFrom().completionStage(use.done.copy())
                .ifNoItem().after(deadline).failWith(() -> new DeadlineException(
                        "no answer within " + deadline.toMillis() + " ms (monitor.query-timeout)" + suffix))
                .map(answer -> (T) answer);
    }

    /** A use that got no answer within its deadline. */
    public static final class DeadlineException extends TimeoutException {
        DeadlineException(String message) {
            super(message);
        }
    }

    /** Puts {@code work} on the connection; when it ends, the work queued behind it starts. Called holding the lock. */
    private void start(Work work) {
        current = work;
        work.startedNanos = System.nanoTime();
        Pool on = pool;
        Object token = poolToken;
        on.withConnection(connection -> {
                    // Connected (or the connection was already open): its place at the gate goes to the next database.
                    releasePermit(token);
                    return work.run.apply(connection);
                })
                .subscribe().with(work.done::complete, failure -> {
                    releasePermit(token);
                    work.done.completeExceptionally(failure);
                });
        work.done.whenComplete((answer, failure) -> next(work));
    }

    private synchronized void next(Work finished) {
        if (current == finished && pending != null) {
            Work queuedWork = pending;
            pending = null;
            start(queuedWork);
        }
    }

    /** Drops the connection; the pool is closed in the background, which also closes a connection stuck mid-poll. */
    public synchronized void reset() {
        Pool old = pool;
        pool = newPool();
        current = null;
        if (pending != null) {
            // Its uses fail at once (the database is Down for this tick); the next use starts clean.
            pending.done.completeExceptionally(new IllegalStateException("the connection was dropped before this poll began"));
            pending = null;
        }
        Promise<ConnectGate.Permit> waiting = queued.getAndSet(null);
        if (waiting != null && gate.cancel(waiting)) {
            waiting.tryFail("the connection was reset while it waited for its turn to connect");
        }
        releasePermit(null);
        old.close().subscribe().with(ignored -> { }, ignored -> { });
    }

    /** Releases the place this database holds at the gate, if {@code pool}'s attempt holds it (null: whichever). */
    private void releasePermit(Object pool) {
        Held place = held.get();
        if (place != null && (pool == null || place.pool() == pool) && held.compareAndSet(place, null)) {
            place.permit().release();
        }
    }

    /** The pool's connection options, given once this database's turn at the gate has come. */
    private Uni<SqlConnectOptions> turnToConnect(PgConnectOptions options, Object pool) {
        // The password as the file holds it now: a secret rotated in place is taken up at the next connection. Read
        // before the turn is queued, so that the wait at the gate is only the gate's.
        return PasswordFiles.refresh(vertx, settings).flatMap(ignored -> {
            options.setPassword(settings.passwordSource().current());
            Promise<ConnectGate.Permit> turn = Promise.promise();
            queued.set(turn);
            return UniHelper.toUni(gate.acquire(turn).map(permit -> {
                // A reset may have dropped this pool after the turn was queued and before the gate saw it: the turn
                // then comes to no one, and its place goes back at once.
                if (pool != poolToken) {
                    permit.release();
                    throw new IllegalStateException("the connection was reset while it waited for its turn to connect");
                }
                grantedNanos = System.nanoTime();
                queued.compareAndSet(turn, null);
                Held previous = held.getAndSet(new Held(pool, permit));
                if (previous != null) {
                    previous.permit().release();
                }
                return (SqlConnectOptions) options;
            }));
        });
    }

    /**
     * Completes errors that are unclear on their own: the PG client reports a refused certificate only as "SSL
     * handshake failed" (the cause is not passed on), so the error says what this database's ssl-mode requires of
     * the certificate; a full server says why and what the monitor does about it.
     */
    public String explain(String error) {
        if (error != null && error.contains("(53300)")) {
            return error + " (the server's max_connections is exhausted; the monitor tries once per interval, with one"
                    + " connection per database, and a connection limit on its role keeps it from taking the last slots)";
        }
        if (error == null || !error.contains("SSL handshake failed")) {
            return error;
        }
        return error + switch (settings.sslMode()) {
            case VERIFY_FULL -> " (ssl-mode verify-full: the server's certificate must chain to ssl-root-cert "
                    + settings.sslRootCert() + " and name the host '" + settings.host()
                    + "' (a certificate naming a DNS name does not cover an IP address); check both, or use verify-ca)";
            case VERIFY_CA -> " (ssl-mode verify-ca: the server's certificate must chain to ssl-root-cert "
                    + settings.sslRootCert() + ")";
            default -> " (the server closed the connection during the TLS handshake)";
        };
    }

    public Uni<Void> close() {
        return pool.close();
    }

    private Pool newPool() {
        Object token = new Object();
        poolToken = token;
        PgConnectOptions options = connectOptions(settings, poll, poll.queryTimeout()).addProperty("lock_timeout", LOCK_TIMEOUT);
        return PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(POOL_SIZE)
                        .setMaxWaitQueueSize(1)
                        // The connection's socket on the next of the event loops in turn, where the caller's context
                        // put every database's reads and writes on the tick's one thread. Decoding the answers still
                        // runs on the context that asked (the tick's).
                        .setEventLoopSize(1)
                        // 0 keeps it forever; otherwise a connection idle that long is closed and reopened on demand.
                        .setIdleTimeout((int) poll.idleTimeout().toMillis())
                        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                        // No wait for the connection times out in the pool: each use has its own deadline, and a
                        // connection that comes after it is kept for the next use.
                        .setConnectionTimeout(0))
                .connectingTo(() -> turnToConnect(options, token))
                .using(vertx)
                .build();
    }

    /** The connection options of a database, with its own statement timeout (the deep checks need longer). */
    public static PgConnectOptions connectOptions(DatabaseSettings db, MonitorSettings.Poll poll, java.time.Duration statementTimeout) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(db.host())
                .setPort(db.port())
                .setDatabase(db.dbname())
                .setUser(db.user())
                .setConnectTimeout((int) poll.connectTimeout().toMillis())
                .setTcpKeepAlive(poll.tcpKeepAlive())
                .setCachePreparedStatements(false)
                .addProperty("application_name", APPLICATION_NAME)
                // The server cancels a query that outlives the poll's deadline, so the connection is free again.
                .addProperty("statement_timeout", Long.toString(statementTimeout.toMillis()));
        if (db.passwordSource().current() != null) {
            options.setPassword(db.passwordSource().current());
        }
        switch (db.sslMode()) {
            case DISABLE -> options.setSslMode(io.vertx.pgclient.SslMode.DISABLE);
            case ALLOW -> options.setSslMode(io.vertx.pgclient.SslMode.ALLOW).setTrustAll(true);
            case PREFER -> options.setSslMode(io.vertx.pgclient.SslMode.PREFER).setTrustAll(true);
            case REQUIRE -> options.setSslMode(io.vertx.pgclient.SslMode.REQUIRE).setTrustAll(true);
            case VERIFY_CA -> options.setSslMode(io.vertx.pgclient.SslMode.VERIFY_CA)
                    .setPemTrustOptions(new PemTrustOptions().addCertPath(db.sslRootCert()))
                    .setHostnameVerificationAlgorithm("");
            case VERIFY_FULL -> options.setSslMode(io.vertx.pgclient.SslMode.VERIFY_FULL)
                    .setPemTrustOptions(new PemTrustOptions().addCertPath(db.sslRootCert()))
                    .setHostnameVerificationAlgorithm("HTTPS");
        }
        return options;
    }
}

package io.pgrepmon.db;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.MonitorSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The small connection pool of one monitored database. Built with the Vert.x PG client directly, not as a
 * Quarkus datasource, because the list of databases is runtime configuration. The pool opens connections on
 * demand, so a database that comes back is reconnected on the next tick; {@link #reset()} drops a pool whose
 * connection hangs so that the next tick starts clean.
 */
public final class DatabaseClient {

    /** Shown in pg_stat_activity, so an operator (and the tests) can tell the monitor's sessions apart. */
    public static final String APPLICATION_NAME = "pg-replication-monitor";

    /** One connection is enough: a database's probes run one after the other on it. */
    static final int POOL_SIZE = 1;

    /**
     * How long a probe may wait for a lock. The probes avoid opening user tables, and skip what someone holds an
     * ACCESS EXCLUSIVE lock on; this bounds the race where a lock is taken in between, so that a probe fails on its
     * own at once instead of holding up those behind it on the connection until the deadline.
     */
    static final String LOCK_TIMEOUT = "100ms";

    private final DatabaseSettings settings;
    private final MonitorSettings.Poll poll;
    private final Vertx vertx;
    private volatile Pool pool;

    public DatabaseClient(DatabaseSettings settings, MonitorSettings.Poll poll, Vertx vertx) {
        this.settings = settings;
        this.poll = poll;
        this.vertx = vertx;
        this.pool = newPool();
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public Pool pool() {
        return pool;
    }

    /** Replaces the pool; the old one is closed in the background, which also closes a connection stuck mid-poll. */
    public void reset() {
        Pool old = pool;
        pool = newPool();
        old.close().subscribe().with(ignored -> { }, ignored -> { });
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
        return PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(POOL_SIZE)
                        .setMaxWaitQueueSize(1)
                        // 0 keeps it forever; otherwise a connection idle that long is closed and reopened on demand.
                        .setIdleTimeout((int) poll.idleTimeout().toMillis())
                        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                        .setConnectionTimeout((int) poll.queryTimeout().toMillis())
                        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
                .connectingTo(connectOptions(settings, poll, poll.queryTimeout()).addProperty("lock_timeout", LOCK_TIMEOUT))
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
        if (db.password() != null) {
            options.setPassword(db.password());
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

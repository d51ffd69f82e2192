package io.pgrepmon.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the operator configures, under the {@code monitor} prefix of {@code application.yaml}
 * or of the file given with {@code --config FILE}. Checked as a whole by {@link ConfigValidator} at start-up.
 */
@ConfigMapping(prefix = "monitor")
public interface MonitorConfig {

    /**
     * How often every database is polled (at least 1s). Also the period of the WebSocket push.
     */
    @WithDefault("5s")
    Duration refreshInterval();

    /**
     * Time allowed to open a TCP connection and finish the PostgreSQL handshake. Must be shorter than the interval.
     */
    @WithDefault("3s")
    Duration connectTimeout();

    /**
     * Deadline for one database's whole poll (connect plus every query); it is also sent to the server as
     * {@code statement_timeout}. Must be shorter than the interval: a tick lasts as long as its slowest database,
     * and a tick still running when the next is due makes that one skip. Leave a margin (the default 4s of 5s).
     */
    @WithDefault("4s")
    Duration queryTimeout();

    /**
     * How long an idle connection to a database is kept before it is closed (0: never). With one poll per interval
     * the connection is normally reused; this closes it after a long pause.
     */
    @WithDefault("10m")
    Duration idleTimeout();

    /**
     * How many databases may be connecting at once, over the whole fleet (at least 1). A connection costs CPU on
     * both sides (TLS, and SCRAM's key derivation): hundreds opened together all finish late, past their deadline,
     * where a few at a time connect one after another. Databases waiting for their turn show why.
     */
    @WithDefault("16")
    int connectConcurrency();

    /**
     * The oldest the catalog may be (tables with their publications, keys, replica identity and sizes, and the hash
     * of the table definitions): it is read again when the catalog counters say it changed, and at least this often,
     * since a server may publish those counters late or lose them. At least the refresh interval.
     */
    @WithDefault("1m")
    Duration catalogInterval();

    /**
     * TCP keepalive on the database connections, so that a peer that vanished without closing is noticed by the
     * operating system even between polls.
     */
    @WithDefault("true")
    boolean tcpKeepAlive();

    /**
     * Health thresholds.
     */
    Thresholds thresholds();

    /**
     * Who may read the dashboard, the API and the WebSocket. The health endpoints stay open.
     */
    Security security();

    /**
     * Cutover readiness: the observation windows and the bounds of the deeper checks.
     */
    Cutover cutover();

    /**
     * The in-memory history behind the trends and charts.
     */
    HistoryConfig history();

    /**
     * Alerts on pairs and databases that are not healthy, and where to send them.
     */
    Alerts alerts();

    /**
     * The Prometheus metrics at {@code /q/metrics}.
     */
    MetricsConfig metrics();

    /**
     * When one instance is not enough: this instance's share of the configured databases. Every replication's
     * databases (a target and its source) go to the same instance; Prometheus is the fleet-wide view.
     */
    ShardConfig shard();

    /** This instance's place among {@code count} instances watching one configuration. */
    interface ShardConfig {

        /**
         * How many instances share the configured databases; 1 (the default) watches them all.
         */
        @WithDefault("1")
        int count();

        /**
         * This instance's number, from 0 to {@code count - 1}; when not set, the ordinal at the end of the host name
         * (a StatefulSet's pod {@code monitor-2} is 2).
         */
        Optional<Integer> index();
    }

    /** What {@code /q/metrics} carries beyond the per-database, per-pair, per-slot and per-subscription series. */
    interface MetricsConfig {

        /**
         * One series per subscribed table (its sync state and copy progress). Off by default: with thousands of
         * tables per database it multiplies the series count, which Prometheus pays for in memory.
         */
        @WithDefault("false")
        boolean perTable();
    }

    /** When an alert fires and resolves, and who is told. */
    interface Alerts {

        /**
         * A pair or database must stay unhealthy this long before its alert fires: a value hovering at a
         * threshold does not page anyone.
         */
        @WithDefault("1m")
        Duration forDuration();

        /**
         * A firing alert must stay healthy this long before it resolves (hysteresis: no flapping).
         */
        @WithDefault("2m")
        Duration resolveAfter();

        /**
         * The least severity that alerts: warning or critical.
         */
        @WithDefault("warning")
        String minSeverity();

        /**
         * Webhooks told of every change (firing, escalated, resolved), with retries and backoff.
         */
        Optional<List<Webhook>> webhooks();
    }

    /** One webhook. */
    interface Webhook {

        /**
         * Where to POST; a Slack incoming-webhook URL is a secret: it is never logged nor shown, only its host.
         * Give it from the environment, e.g. {@code ${SLACK_WEBHOOK_URL}}.
         */
        String url();

        /**
         * {@code json} (the alert as JSON) or {@code slack} (a Slack-compatible {@code {"text": ...}} message).
         */
        @WithDefault("json")
        String format();
    }

    /** How much history is kept in memory. */
    interface HistoryConfig {

        /**
         * How far back each series goes. Memory: 16 bytes per point, one point per series per interval, a few
         * series per pair and slot (an hour at 5 s is 720 points, about 11 KiB per series).
         */
        @WithDefault("1h")
        Duration retention();

        /**
         * The window trends are computed over (catch-up and slot-loss estimates).
         */
        @WithDefault("5m")
        Duration trendWindow();
    }

    /** How cutover readiness is judged. */
    interface Cutover {

        /**
         * No new apply or sync error (nor conflict) may have happened for this long, and the monitor must have
         * watched for this long, before the errors check passes.
         */
        @WithDefault("10m")
        Duration observationWindow();

        /**
         * The source is quiet when no row has changed for this long and no transaction is writing.
         */
        @WithDefault("30s")
        Duration quietPeriod();

        /**
         * How often the deep checks (sequences, row counts, schema) run by themselves; 0 runs them only on
         * request ({@code POST /api/cutover/deep-check}).
         */
        @WithDefault("10m")
        Duration deepCheckInterval();

        /**
         * Statement timeout of the deep checks' own connections (row counts may take a while).
         */
        @WithDefault("60s")
        Duration deepCheckTimeout();

        /**
         * Tables whose estimated size is above this many rows are not counted exactly: their count check stays
         * unknown rather than scanning a huge table.
         */
        @WithDefault("1000000")
        long exactCountMaxRows();

        /**
         * At most this many tables per pair are counted and compared.
         */
        @WithDefault("500")
        int maxTables();

        /**
         * Tables the migration means to send only in part (a publication's column list or row filter, 15+), as
         * {@code schema.table} or {@code schema.*}: coverage passes them and names each in its evidence, and their
         * row counts are not compared while a row filter applies. Any other table a publication sends in part fails
         * coverage, since the target would not hold what the source holds.
         */
        Optional<List<String>> partialTables();

        /**
         * The content comparison's row budget per deep check, over all tables: tables beyond it are not compared
         * (their content check is unknown, never sampled into a pass).
         */
        @WithDefault("10000000")
        long contentMaxRows();

        /**
         * Rows per key range the content comparison hashes in one statement; keep a range well under the deep
         * check's statement timeout.
         */
        @WithDefault("10000")
        long contentChunkRows();

        /**
         * Pause between two key ranges, so the comparison never saturates either server.
         */
        @WithDefault("10ms")
        Duration contentChunkPause();

        /**
         * Tables whose exact row count is proof enough, as {@code schema.table} or {@code schema.*} (a huge
         * append-only log): their content is not compared, and the content check names every such declaration.
         */
        Optional<List<String>> countsSuffice();

        /**
         * How long {@code POST /api/cutover/{pair}/verify} waits after its deep checks before it takes the verdict
         * of the next tick: PostgreSQL publishes a session's row counters up to about 10 s after its commit, so a
         * write on the target just before the checks shows in the counters only then.
         */
        @WithDefault("11s")
        Duration verifySettle();
    }

    /** Access control of the dashboard, API and WebSocket. */
    interface Security {

        /**
         * Whether API and WebSocket require credentials. When not set: required unless the HTTP server listens on
         * loopback only ({@code quarkus.http.host} localhost, 127.0.0.1 or ::1). Set false explicitly to run open.
         */
        Optional<Boolean> enabled();

        /**
         * SHA-256 (hex) of the API token clients send as {@code Authorization: Bearer <token>}. Only the hash is
         * configured, so the configuration never holds the token. Make one with {@code openssl rand -hex 32} and
         * hash it with {@code printf %s "$TOKEN" | sha256sum}.
         */
        Optional<String> tokenSha256();

        /**
         * File holding the token's SHA-256 (hex), e.g. a mounted secret; trailing newlines are ignored.
         */
        Optional<String> tokenSha256File();

        /**
         * Basic authentication for people at the dashboard.
         */
        Basic basic();

        /**
         * Origins, besides the page's own, allowed to open the WebSocket (e.g. {@code https://ops.example.com}).
         * A browser handshake from any other Origin gets 403 (cross-site WebSocket hijacking).
         */
        Optional<List<String>> allowedOrigins();
    }

    /** One user for basic authentication, with a bcrypt password hash. */
    interface Basic {

        /**
         * User name; basic authentication is off when not set.
         */
        Optional<String> username();

        /**
         * bcrypt hash of the password ({@code $2a$...}, {@code $2b$...} or {@code $2y$...}), e.g. from
         * {@code htpasswd -nbBC 12 "" PASSWORD | cut -d: -f2} or {@code java -jar quarkus-run.jar --hash-password}.
         */
        Optional<String> passwordHash();

        /**
         * File holding the bcrypt hash (a mounted secret); trailing newlines are ignored.
         */
        Optional<String> passwordHashFile();
    }

    /**
     * The databases to watch: publishers ({@code source}) and subscribers ({@code target}).
     */
    List<Database> databases();

    /**
     * Explicit links from a target's subscription to the source slot it consumes, for when slot names alone are
     * ambiguous (the same slot name on several sources). Subscriptions not listed are linked by slot name.
     */
    Optional<List<Pair>> pairs();

    /**
     * Optional heartbeats: the monitor writes a timestamp on the source into {@code pgrepmon_heartbeat}, a table
     * the publication includes, and reads it on the target, which gives apply lag in seconds that stays right
     * when the source is idle. Off unless listed here (it writes to the source).
     */
    Optional<List<HeartbeatConfig>> heartbeats();

    /** One heartbeat between a source and a target database. */
    interface HeartbeatConfig {

        /**
         * Source database (as in {@code monitor.databases}): the monitor needs INSERT and UPDATE on the table there.
         */
        String source();

        /**
         * Target database (as in {@code monitor.databases}) subscribed to a publication that includes the table.
         */
        String target();

        /**
         * Schema of {@code pgrepmon_heartbeat} on both sides.
         */
        @WithDefault("public")
        String schema();
    }

    /** One explicit subscription-to-slot link. */
    interface Pair {

        /**
         * Name of the target database (as in {@code monitor.databases}) that owns the subscription.
         */
        String target();

        /**
         * The subscription's name on that target.
         */
        String subscription();

        /**
         * Name of the source database (as in {@code monitor.databases}) holding the slot.
         */
        String source();

        /**
         * The slot's name on the source; the subscription's own {@code subslotname} when not set.
         */
        Optional<String> slot();
    }

    /** Health thresholds; a value above a threshold makes the component Warning or Critical. */
    interface Thresholds {

        /**
         * Bytes a slot may be behind its server's current WAL position before it is Warning.
         */
        @WithDefault("1048576")
        long lagBytes();

        /**
         * Bytes behind at which a slot becomes Critical; ten times {@link #lagBytes()} when not set.
         */
        Optional<Long> lagBytesCritical();

        /**
         * How long a slot may stay inactive (no consumer connected) before it is Critical: it keeps WAL on the source.
         */
        @WithDefault("60s")
        Duration slotInactive();

        /**
         * A slot whose {@code safe_wal_size} (bytes that may still be written before it loses WAL, PostgreSQL 13+
         * with {@code max_slot_wal_keep_size} set) is below this is Warning. 1 GiB by default.
         */
        @WithDefault("1073741824")
        long safeWalSize();

        /**
         * A walsender with changes to send whose subscriber has not confirmed any progress for this long is
         * stalled (Critical). An idle walsender with nothing to send is never stalled.
         */
        @WithDefault("60s")
        Duration walsenderStalled();

        /**
         * A table not yet ready on a subscriber whose sync state and copy progress have not moved for this long is
         * stuck (Critical). A long copy that keeps moving is not stuck.
         */
        @WithDefault("10m")
        Duration tableSyncStuck();

        /**
         * How long a new apply or sync error, or a new conflict (PostgreSQL 18), keeps its subscription Critical.
         * Errors are counted from when the monitor started (or from the server's {@code stats_reset}), so an
         * error from before the monitor started never shows as new.
         */
        @WithDefault("10m")
        Duration errorRecent();

        /** The Critical lag threshold, explicit or derived. */
        default long effectiveLagBytesCritical() {
            return lagBytesCritical().orElse(lagBytes() * 10);
        }
    }

    /** One monitored database. */
    interface Database {

        /**
         * Unique short name shown on the dashboard and used in URLs: letters, digits, '.', '_' or '-'.
         */
        String name();

        /**
         * Host name or IP address of the server.
         */
        String host();

        /**
         * TCP port of the server.
         */
        @WithDefault("5432")
        int port();

        /**
         * Role to log in as; a role with {@code pg_monitor} is enough.
         */
        String user();

        /**
         * Password, usually from the environment ({@code ${SOURCE_PASSWORD}}); leave out for trust or certificate login.
         */
        Optional<String> password();

        /**
         * File holding the password (a mounted Kubernetes secret, for example); trailing newlines are ignored. Read
         * again before every new connection, so a password rotated in the file needs no restart.
         */
        Optional<String> passwordFile();

        /**
         * Database to connect to. Subscriptions are per database: use the one that owns them.
         */
        @WithName("dbname")
        String dbname();

        /**
         * {@code source} (publisher: slots, publications) or {@code target} (subscriber: subscriptions).
         */
        Role role();

        /**
         * TLS mode as in libpq: disable, allow, prefer, require, verify-ca, verify-full.
         */
        @WithDefault("prefer")
        SslMode sslMode();

        /**
         * For a target: the name of the source database (as in {@code monitor.databases}) its subscriptions read
         * from. Slots are then looked up on that source only. Leave out to search every source by slot name.
         */
        Optional<String> source();

        /**
         * PEM file of trusted CA certificates, needed by verify-ca and verify-full (for Amazon RDS, the global bundle).
         */
        Optional<String> sslRootCert();
    }
}

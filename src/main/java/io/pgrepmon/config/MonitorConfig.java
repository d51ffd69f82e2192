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
     * Health thresholds.
     */
    Thresholds thresholds();

    /**
     * The databases to watch: publishers ({@code source}) and subscribers ({@code target}).
     */
    List<Database> databases();

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
         * File holding the password (a mounted Kubernetes secret, for example); trailing newlines are ignored.
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
         * PEM file of trusted CA certificates, needed by verify-ca and verify-full (for Amazon RDS, the global bundle).
         */
        Optional<String> sslRootCert();
    }
}

package io.pgrepmon.config;

import java.time.Duration;
import java.util.List;

/**
 * The configuration after validation, typed: what every component past configuration is given. Databases have
 * their passwords resolved; every value here has passed {@link ConfigValidator}.
 */
public record MonitorSettings(List<DatabaseSettings> databases, List<PairSettings> pairs, SecuritySettings security,
                              List<HeartbeatSettings> heartbeats, Shard shard, Poll poll, Thresholds thresholds, Cutover cutover,
                              History history, Alerts alerts, Metrics metrics) {

    public MonitorSettings {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
        heartbeats = List.copyOf(heartbeats);
    }

    /**
     * How often and how patiently the databases are read.
     *
     * @param interval       one tick per interval
     * @param connectTimeout how long opening a connection may take
     * @param queryTimeout   one database's deadline per tick, also its {@code statement_timeout}
     * @param idleTimeout    how long an idle connection is kept (zero: forever)
     * @param tcpKeepAlive   whether TCP keepalive is on for the monitor's connections
     * @param catalogInterval the oldest the catalog probes' answer and the table definitions' hash may be
     * @param connectConcurrency how many databases may be connecting at once, over the whole fleet
     */
    public record Poll(Duration interval, Duration connectTimeout, Duration queryTimeout, Duration idleTimeout,
                       boolean tcpKeepAlive, Duration catalogInterval, int connectConcurrency) {

        /**
         * The oldest the latest snapshot may be while polling works: a tick may run up to its deadline, the next one
         * starts an interval after it began (or when it ends) and again takes up to the deadline; the intervals a
         * deadline spans, and one more on top for a loaded machine, make the margin. Older than this, ticks are
         * failing or have stopped.
         */
        public Duration staleAfter() {
            long i = interval.toMillis();
            long q = queryTimeout.toMillis();
            long skipped = (q + i - 1) / i;
            return Duration.ofMillis(i * (skipped + 1) + q);
        }
    }

    /**
     * When health turns Warning or Critical.
     *
     * @param lagBytes         a pair's lag above this is Warning
     * @param lagBytesCritical above this, Critical (ten times {@code lagBytes} unless configured)
     * @param slotInactive     how long a slot may stay inactive before it is Critical
     * @param safeWalSize      the headroom under which a slot's {@code safe_wal_size} is Critical
     * @param walsenderStalled how long a walsender may wait with nothing confirmed before it is stalled
     * @param tableSyncStuck   how long a table's sync may stand still before it is stuck
     * @param errorRecent      how long a new error or conflict keeps its subscription Critical
     */
    public record Thresholds(long lagBytes, long lagBytesCritical, Duration slotInactive, long safeWalSize,
                             Duration walsenderStalled, Duration tableSyncStuck, Duration errorRecent) {
    }

    /**
     * The cutover checks' windows and bounds.
     *
     * @param observationWindow how long the monitor must have watched before "no new errors" can pass
     * @param quietPeriod       how long no row may have changed on the source for it to be quiet
     * @param deepCheckInterval how often the deep checks run on their own (zero: only on request)
     * @param deepCheckTimeout  the deep checks' statement timeout
     * @param exactCountMaxRows tables estimated above this are not counted exactly
     * @param maxTables         at most this many tables per pair are counted and compared
     * @param partialTables     {@code schema.table} or {@code schema.*}: tables the operator declared sent in part
     * @param contentMaxRows    the content comparison's row budget per run
     * @param contentChunkRows  rows per key range hashed
     * @param contentChunkPause pause between two key ranges
     * @param countsSuffice     {@code schema.table} or {@code schema.*}: tables whose count is proof enough
     * @param verifySettle      how long the verify gate waits after its deep checks for the row counters to settle
     */
    public record Cutover(Duration observationWindow, Duration quietPeriod, Duration deepCheckInterval,
                          Duration deepCheckTimeout, long exactCountMaxRows, int maxTables, List<String> partialTables,
                          long contentMaxRows, long contentChunkRows, Duration contentChunkPause,
                          List<String> countsSuffice, Duration verifySettle) {

        public Cutover {
            partialTables = partialTables == null ? List.of() : List.copyOf(partialTables);
            countsSuffice = countsSuffice == null ? List.of() : List.copyOf(countsSuffice);
        }

        /** The declaration that covers this table ({@code schema.table}), or null when none does. */
        public String declaredPartial(String qualifiedName) {
            return match(partialTables, qualifiedName);
        }

        /** The declaration that makes counts enough for this table, or null when none does. */
        public String declaredCountsSuffice(String qualifiedName) {
            return match(countsSuffice, qualifiedName);
        }

        private static String match(List<String> patterns, String qualifiedName) {
            String schema = qualifiedName.substring(0, Math.max(0, qualifiedName.indexOf('.')));
            return patterns.stream().filter(p -> p.equals(qualifiedName) || p.equals(schema + ".*"))
                    .findFirst().orElse(null);
        }
    }

    /**
     * The in-memory history.
     *
     * @param retention   how far back each series goes
     * @param trendWindow the span a trend is computed over
     */
    public record History(Duration retention, Duration trendWindow) {
    }

    /** @param perTable one series per subscribed table in {@code /q/metrics} */
    public record Metrics(boolean perTable) {
    }

    /**
     * When alerts fire and resolve, and who is told.
     *
     * @param forDuration  how long a subject must stay unhealthy before its alert fires
     * @param resolveAfter how long a firing alert must stay healthy before it resolves
     * @param criticalOnly whether only Critical raises an alert (min-severity critical)
     * @param webhooks     where transitions are sent
     */
    public record Alerts(Duration forDuration, Duration resolveAfter, boolean criticalOnly, List<Webhook> webhooks) {

        public Alerts {
            webhooks = List.copyOf(webhooks);
        }
    }

    /** A webhook; its URL is a credential (a Slack URL is), so {@link #toString()} leaves it out. */
    public record Webhook(String url, Format format) {

        /** The body posted: the alert as JSON, or a Slack-compatible message. */
        public enum Format {
            JSON, SLACK;

            public String code() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        @Override
        public String toString() {
            return "Webhook[format=" + format.code() + "]";
        }
    }

    /**
     * This instance's share of the configuration: shard {@code index} of {@code count}, out of {@code configured}
     * databases in all ({@code databases} holds only this shard's).
     */
    public record Shard(int index, int count, int configured) {
    }
}

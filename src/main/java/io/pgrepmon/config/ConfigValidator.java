package io.pgrepmon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the configuration as a whole and turns it into {@link DatabaseSettings}. SmallRye Config already
 * rejects missing keys and unknown enum values with the property name; this adds the rules it cannot express
 * (uniqueness, ranges, combinations) and reports every problem at once, so one start-up shows them all.
 */
public final class ConfigValidator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private ConfigValidator() {
    }

    /**
     * @return the databases with their passwords resolved, and the explicit pairs
     * @throws InvalidConfigException listing every problem found, each naming its property and the fix
     */
    public static MonitorSettings validate(MonitorConfig config) {
        return validate(config, "localhost");
    }

    /**
     * @param httpHost the address the HTTP server listens on ({@code quarkus.http.host}): access control is on by
     *                 default unless it is loopback
     */
    public static MonitorSettings validate(MonitorConfig config, String httpHost) {
        List<String> problems = new ArrayList<>();
        checkDurations(config, problems);
        checkThresholds(config.thresholds(), problems);
        List<DatabaseSettings> databases = checkDatabases(config.databases(), problems);
        checkSources(databases, problems);
        List<PairSettings> pairs = checkPairs(config.pairs().orElse(List.of()), databases, problems);
        List<HeartbeatSettings> heartbeats = checkHeartbeats(config.heartbeats().orElse(List.of()), databases, problems);
        databases = withHeartbeats(databases, heartbeats);
        MonitorSettings.Shard shard = checkShard(config.shard(), databases, pairs, heartbeats, hostname(), problems);
        SecuritySettings security = checkSecurity(config.security(), httpHost, problems);
        checkAlerts(config.alerts(), problems);
        checkTablePatterns("monitor.cutover.partial-tables", config.cutover().partialTables().orElse(List.of()), problems);
        checkTablePatterns("monitor.cutover.counts-suffice", config.cutover().countsSuffice().orElse(List.of()), problems);
        if (config.cutover().contentChunkRows() < 1) {
            problems.add("monitor.cutover.content-chunk-rows is " + config.cutover().contentChunkRows()
                    + ": give at least 1 (e.g. 10000)");
        }
        if (config.cutover().contentMaxRows() < 0) {
            problems.add("monitor.cutover.content-max-rows is " + config.cutover().contentMaxRows()
                    + ": give 0 (compare no content) or more");
        }
        if (config.cutover().contentChunkPause().isNegative()) {
            problems.add("monitor.cutover.content-chunk-pause is negative: give 0s or more");
        }
        if (config.cutover().verifySettle().isNegative()) {
            problems.add("monitor.cutover.verify-settle is negative: give 0s or more (11s lets the row counters settle)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        if (shard.count() > 1) {
            java.util.Set<String> mine = new java.util.HashSet<>();
            Shards.groups(databases, pairs, heartbeats).stream().filter(g -> Shards.shardOf(g, shard.count()) == shard.index())
                    .forEach(mine::addAll);
            databases = databases.stream().filter(db -> mine.contains(db.name())).toList();
            pairs = pairs.stream().filter(p -> mine.contains(p.target())).toList();
            heartbeats = heartbeats.stream().filter(h -> mine.contains(h.target())).toList();
        }
        return new MonitorSettings(databases, pairs, security, heartbeats, shard, poll(config), thresholds(config.thresholds()),
                cutover(config.cutover()), new MonitorSettings.History(config.history().retention(),
                config.history().trendWindow()), alerts(config.alerts()), new MonitorSettings.Metrics(config.metrics().perTable()));
    }

    /** The host name a StatefulSet's pod gets (its ordinal at the end), read here so tests can replace it. */
    static String hostname() {
        return System.getenv("HOSTNAME");
    }

    static MonitorSettings.Shard checkShard(MonitorConfig.ShardConfig shard, List<DatabaseSettings> databases,
                                            List<PairSettings> pairs, List<HeartbeatSettings> heartbeats, String hostname,
                                            List<String> problems) {
        int count = shard.count();
        if (count < 1) {
            problems.add("monitor.shard.count is " + count + ": give 1 (one instance watches everything) or more");
            return new MonitorSettings.Shard(0, 1, databases.size());
        }
        Optional<Integer> index = shard.index().or(() -> count > 1 ? Shards.ordinal(hostname) : Optional.of(0));
        if (index.isEmpty()) {
            problems.add("monitor.shard.index is not set and the host name '" + hostname + "' ends in no StatefulSet"
                    + " ordinal: set monitor.shard.index (0 to " + (count - 1) + ") on each instance, or run them as a StatefulSet");
            return new MonitorSettings.Shard(0, count, databases.size());
        }
        if (index.get() < 0 || index.get() >= count) {
            problems.add("monitor.shard.index is " + index.get() + (shard.index().isEmpty() ? " (from the host name '" + hostname + "')" : "")
                    + ": give 0 to " + (count - 1) + " for monitor.shard.count " + count);
        }
        // A target without a source is linked by slot name to any source of the fleet: one that another instance
        // watches would be missed, or a same-named slot here taken for it. Explicit pairs cover only the subscriptions
        // they list, so every target names its source (a target of several sources lists the others' in pairs).
        if (count > 1) {
            for (int i = 0; i < databases.size(); i++) {
                DatabaseSettings db = databases.get(i);
                if (db.role() == Role.TARGET && db.source() == null) {
                    problems.add("monitor.databases[" + i + "].source: with monitor.shard.count " + count + " every target"
                            + " names the source it subscribes to (a target of several sources names one and lists the other"
                            + " subscriptions in monitor.pairs), so that both are watched by the same instance");
                }
            }
        }
        return new MonitorSettings.Shard(index.get(), count, databases.size());
    }

    private static MonitorSettings.Poll poll(MonitorConfig config) {
        return new MonitorSettings.Poll(config.refreshInterval(), config.connectTimeout(), config.queryTimeout(),
                config.idleTimeout(), config.tcpKeepAlive(), config.catalogInterval(), config.connectConcurrency());
    }

    private static MonitorSettings.Thresholds thresholds(MonitorConfig.Thresholds t) {
        return new MonitorSettings.Thresholds(t.lagBytes(), t.effectiveLagBytesCritical(), t.slotInactive(),
                t.safeWalSize(), t.walsenderStalled(), t.tableSyncStuck(), t.errorRecent());
    }

    private static MonitorSettings.Cutover cutover(MonitorConfig.Cutover c) {
        return new MonitorSettings.Cutover(c.observationWindow(), c.quietPeriod(), c.deepCheckInterval(),
                c.deepCheckTimeout(), c.exactCountMaxRows(), c.maxTables(), c.partialTables().orElse(List.of()),
                c.contentMaxRows(), c.contentChunkRows(), c.contentChunkPause(), c.countsSuffice().orElse(List.of()),
                c.verifySettle());
    }

    private static final Pattern PARTIAL_TABLE = Pattern.compile("[^.\\s*]+\\.([^.\\s*]+|\\*)");

    static void checkTablePatterns(String key, List<String> tables, List<String> problems) {
        for (int i = 0; i < tables.size(); i++) {
            if (!PARTIAL_TABLE.matcher(tables.get(i)).matches()) {
                problems.add(key + "[" + i + "] is '" + tables.get(i) + "': give schema.table"
                        + " or schema.* (as PostgreSQL shows the name, without quotes), e.g. public.audit_log");
            }
        }
    }

    /** Called only once the alerts have been checked: min-severity and every format are known values. */
    private static MonitorSettings.Alerts alerts(MonitorConfig.Alerts a) {
        List<MonitorSettings.Webhook> hooks = a.webhooks().orElse(List.of()).stream()
                .map(h -> new MonitorSettings.Webhook(h.url(), MonitorSettings.Webhook.Format.valueOf(
                        h.format().toUpperCase(java.util.Locale.ROOT)))).toList();
        return new MonitorSettings.Alerts(a.forDuration(), a.resolveAfter(),
                "critical".equalsIgnoreCase(a.minSeverity()), hooks);
    }

    private static void checkAlerts(MonitorConfig.Alerts alerts, List<String> problems) {
        if (!List.of("warning", "critical").contains(alerts.minSeverity().toLowerCase(java.util.Locale.ROOT))) {
            problems.add("monitor.alerts.min-severity is '" + alerts.minSeverity() + "': use warning or critical");
        }
        notNegative("monitor.alerts.for-duration", alerts.forDuration(), "1m", problems);
        notNegative("monitor.alerts.resolve-after", alerts.resolveAfter(), "2m", problems);
        List<MonitorConfig.Webhook> hooks = alerts.webhooks().orElse(List.of());
        for (int i = 0; i < hooks.size(); i++) {
            String key = "monitor.alerts.webhooks[" + i + "]";
            // The URL is not echoed: a Slack webhook URL is a credential.
            try {
                java.net.URI uri = java.net.URI.create(hooks.get(i).url());
                if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                        || uri.getHost() == null) {
                    problems.add(key + ".url is not an http(s) URL with a host: give the full URL, e.g. https://hooks.slack.com/services/...");
                }
            } catch (IllegalArgumentException e) {
                problems.add(key + ".url is not a valid URL: check it (it is not shown here, as it may hold a secret)");
            }
            if (!List.of("json", "slack").contains(hooks.get(i).format())) {
                problems.add(key + ".format is '" + hooks.get(i).format() + "': use json or slack");
            }
        }
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    static boolean loopback(String host) {
        String h = host == null ? "" : host.trim();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    private static SecuritySettings checkSecurity(MonitorConfig.Security security, String httpHost, List<String> problems) {
        String key = "monitor.security";
        boolean enabled = security.enabled().orElse(!loopback(httpHost));
        if (!enabled) {
            return SecuritySettings.off(security.enabled().isPresent()
                    ? key + ".enabled is false: API and WebSocket are open to anyone who can reach the port"
                    : "the HTTP server listens on loopback (" + httpHost + ") only: no credentials required");
        }
        String token = secret(key + ".token-sha256", security.tokenSha256(), security.tokenSha256File(), problems);
        byte[] tokenHash = null;
        if (token != null) {
            if (SHA256_HEX.matcher(token).matches()) {
                tokenHash = java.util.HexFormat.of().parseHex(token.toLowerCase(java.util.Locale.ROOT));
            } else {
                // The value is not echoed: it may be the token itself pasted by mistake.
                problems.add(key + ".token-sha256 is not a SHA-256 in hex (64 hex digits): configure the hash of the token,"
                        + " e.g. printf %s \"$TOKEN\" | sha256sum, never the token itself");
            }
        }
        String user = security.basic().username().filter(u -> !u.isBlank()).orElse(null);
        String hash = secret(key + ".basic.password-hash", security.basic().passwordHash(), security.basic().passwordHashFile(), problems);
        if (user != null && hash == null) {
            problems.add(key + ".basic.username is set without a password hash: set " + key + ".basic.password-hash or "
                    + key + ".basic.password-hash-file (a bcrypt hash)");
        } else if (user == null && hash != null) {
            problems.add(key + ".basic.password-hash is set without " + key + ".basic.username");
        } else if (hash != null && !BCRYPT.matcher(hash).matches()) {
            problems.add(key + ".basic.password-hash is not a bcrypt hash ($2a$, $2b$ or $2y$ followed by the cost and 53"
                    + " characters): make one with htpasswd -nbBC 12 \"\" PASSWORD or --hash-password");
        }
        List<String> origins = security.allowedOrigins().orElse(List.of());
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            if (!origin.matches("https?://[^/\\s]+")) {
                problems.add(key + ".allowed-origins[" + i + "] '" + origin + "' is not an origin: use scheme://host[:port],"
                        + " e.g. https://ops.example.com, without a path");
            }
        }
        if (tokenHash == null && user == null && token == null && hash == null) {
            problems.add(key + ": access control is on (the HTTP server listens on " + httpHost + ", not only on loopback)"
                    + " but no credential is configured: set " + key + ".token-sha256(-file) and/or " + key
                    + ".basic.username with " + key + ".basic.password-hash(-file), or set " + key
                    + ".enabled=false to run without access control");
        }
        String why = "the HTTP server listens on " + httpHost + (security.enabled().isPresent() ? " and " + key + ".enabled is true" : "");
        return new SecuritySettings(true, why, tokenHash, user, hash, origins);
    }

    /** A value given inline or in a file (not both); trailing whitespace ignored; null when neither. */
    private static String secret(String key, java.util.Optional<String> inline, java.util.Optional<String> file,
                                 List<String> problems) {
        if (inline.isPresent() && file.isPresent()) {
            problems.add(key + " and " + key + "-file are both set: keep only one (the file is preferred for mounted secrets)");
            return null;
        }
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                problems.add(key + "-file '" + file.get() + "' cannot be read (" + e.getClass().getSimpleName()
                        + "): check the path and that the monitor's user may read it");
                return null;
            }
        }
        return inline.map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
    }

    private static void checkSources(List<DatabaseSettings> databases, List<String> problems) {
        for (int i = 0; i < databases.size(); i++) {
            DatabaseSettings db = databases.get(i);
            if (db.source() == null) {
                continue;
            }
            String key = "monitor.databases[" + i + "].source";
            if (db.role() != Role.TARGET) {
                problems.add(key + " is set on a source database: only a target names the source it subscribes to; remove it");
            } else {
                checkReference(key, db.source(), Role.SOURCE, databases, problems);
            }
        }
    }

    private static List<PairSettings> checkPairs(List<MonitorConfig.Pair> pairs, List<DatabaseSettings> databases,
                                                 List<String> problems) {
        List<PairSettings> settings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            MonitorConfig.Pair pair = pairs.get(i);
            String key = "monitor.pairs[" + i + "]";
            checkReference(key + ".target", pair.target(), Role.TARGET, databases, problems);
            checkReference(key + ".source", pair.source(), Role.SOURCE, databases, problems);
            requireText(key + ".subscription", pair.subscription(), problems);
            if (!seen.add(pair.target() + '\u0000' + pair.subscription())) {
                problems.add(key + " links subscription '" + pair.subscription() + "' of '" + pair.target()
                        + "' a second time: keep one entry per subscription");
            }
            settings.add(new PairSettings(pair.target(), pair.subscription(), pair.source(), pair.slot().orElse(null)));
        }
        return settings;
    }

    private static List<HeartbeatSettings> checkHeartbeats(List<MonitorConfig.HeartbeatConfig> heartbeats,
                                                           List<DatabaseSettings> databases, List<String> problems) {
        List<HeartbeatSettings> settings = new ArrayList<>();
        for (int i = 0; i < heartbeats.size(); i++) {
            MonitorConfig.HeartbeatConfig h = heartbeats.get(i);
            String key = "monitor.heartbeats[" + i + "]";
            checkReference(key + ".source", h.source(), Role.SOURCE, databases, problems);
            checkReference(key + ".target", h.target(), Role.TARGET, databases, problems);
            if (!h.schema().matches("[A-Za-z_][A-Za-z0-9_$]{0,62}")) {
                problems.add(key + ".schema '" + h.schema() + "' is not a plain schema name: use letters, digits and _");
            }
            settings.add(new HeartbeatSettings(h.source(), h.target(), h.schema()));
        }
        return settings;
    }

    private static List<DatabaseSettings> withHeartbeats(List<DatabaseSettings> databases, List<HeartbeatSettings> heartbeats) {
        return databases.stream().map(db -> heartbeats.stream()
                        .filter(h -> h.source().equals(db.name()) || h.target().equals(db.name())).findFirst()
                        .map(h -> db.withHeartbeatSchema(h.schema()))
                        .orElse(db))
                .toList();
    }

    private static void checkReference(String key, String name, Role role, List<DatabaseSettings> databases,
                                       List<String> problems) {
        var match = databases.stream().filter(db -> db.name().equals(name)).findFirst();
        if (match.isEmpty()) {
            problems.add(key + " '" + name + "' is not the name of any database in monitor.databases: use one of "
                    + databases.stream().filter(db -> db.role() == role).map(DatabaseSettings::name).toList());
        } else if (match.get().role() != role) {
            problems.add(key + " '" + name + "' is a " + match.get().role().json() + " database: it must name a "
                    + role.json() + " database");
        }
    }

    private static void checkDurations(MonitorConfig config, List<String> problems) {
        Duration interval = config.refreshInterval();
        if (interval.isNegative() || interval.isZero()) {
            problems.add("monitor.refresh-interval is " + interval.toSeconds() + "s: it must be positive, e.g. 5s");
            return;
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("monitor.refresh-interval is " + interval.toMillis() + "ms: use at least 1s (every tick reads every"
                    + " database: spare them)");
        }
        positiveAndBelowInterval("monitor.connect-timeout", config.connectTimeout(), interval, problems);
        positiveAndBelowInterval("monitor.query-timeout", config.queryTimeout(), interval, problems);
        if (config.catalogInterval().compareTo(config.refreshInterval()) < 0) {
            problems.add("monitor.catalog-interval (" + config.catalogInterval() + ") is shorter than monitor.refresh-interval ("
                    + config.refreshInterval() + "): give at least the interval, e.g. 1m");
        }
        if (config.connectConcurrency() < 1) {
            problems.add("monitor.connect-concurrency is " + config.connectConcurrency()
                    + ": give at least 1 (how many databases may be connecting at once; 16 by default)");
        }
        if (config.idleTimeout().isNegative()) {
            problems.add("monitor.idle-timeout is negative: use a duration such as 10m, or 0 to keep connections open");
        }
        if (config.connectTimeout().compareTo(config.queryTimeout()) > 0) {
            problems.add("monitor.connect-timeout (" + config.connectTimeout().toMillis() + "ms) is longer than monitor.query-timeout ("
                    + config.queryTimeout().toMillis() + "ms), which bounds the whole poll: make it shorter");
        }
    }

    private static void positiveAndBelowInterval(String key, Duration value, Duration interval, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + " is " + value.toMillis() + "ms: it must be positive");
        } else if (value.compareTo(interval) >= 0) {
            problems.add(key + " (" + value.toMillis() + "ms) must be shorter than monitor.refresh-interval ("
                    + interval.toMillis() + "ms) so that a slow database cannot make ticks overlap");
        }
    }

    private static void checkThresholds(MonitorConfig.Thresholds thresholds, List<String> problems) {
        if (thresholds.lagBytes() < 0) {
            problems.add("monitor.thresholds.lag-bytes is " + thresholds.lagBytes() + ": it must be 0 or more bytes");
        }
        thresholds.lagBytesCritical().ifPresent(critical -> {
            if (critical < thresholds.lagBytes()) {
                problems.add("monitor.thresholds.lag-bytes-critical (" + critical + ") is below monitor.thresholds.lag-bytes ("
                        + thresholds.lagBytes() + "): the Critical threshold must be at least the Warning one");
            }
        });
        notNegative("monitor.thresholds.slot-inactive", thresholds.slotInactive(), "60s", problems);
        notNegative("monitor.thresholds.walsender-stalled", thresholds.walsenderStalled(), "60s", problems);
        notNegative("monitor.thresholds.table-sync-stuck", thresholds.tableSyncStuck(), "10m", problems);
        notNegative("monitor.thresholds.error-recent", thresholds.errorRecent(), "10m", problems);
        if (thresholds.safeWalSize() < 0) {
            problems.add("monitor.thresholds.safe-wal-size is " + thresholds.safeWalSize() + ": it must be 0 or more bytes"
                    + " (0 turns the headroom warning off)");
        }
    }

    private static void notNegative(String key, Duration value, String example, List<String> problems) {
        if (value.isNegative()) {
            problems.add(key + " is negative: use a duration such as " + example);
        }
    }

    private static List<DatabaseSettings> checkDatabases(List<MonitorConfig.Database> databases, List<String> problems) {
        if (databases.isEmpty()) {
            problems.add("monitor.databases is empty: add at least one database with name, host, user, dbname and role (source or target)");
            return List.of();
        }
        Set<String> names = new HashSet<>();
        List<DatabaseSettings> settings = new ArrayList<>();
        for (int i = 0; i < databases.size(); i++) {
            MonitorConfig.Database db = databases.get(i);
            String key = "monitor.databases[" + i + "]";
            if (!NAME.matcher(db.name()).matches()) {
                problems.add(key + ".name '" + db.name() + "' is not valid: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
            } else if (!names.add(db.name())) {
                problems.add(key + ".name '" + db.name() + "' is used by another database: names must be unique");
            }
            requireText(key + ".host", db.host(), problems);
            requireText(key + ".user", db.user(), problems);
            requireText(key + ".dbname", db.dbname(), problems);
            if (db.port() < 1 || db.port() > 65535) {
                problems.add(key + ".port is " + db.port() + ": use a TCP port between 1 and 65535");
            }
            String password = password(db, key, problems);
            if (db.sslMode().verifiesCertificate()) {
                if (db.sslRootCert().isEmpty()) {
                    problems.add(key + ".ssl-root-cert is missing: ssl-mode " + db.sslMode().name().toLowerCase().replace('_', '-')
                            + " needs the CA bundle that signed the server certificate (for Amazon RDS, global-bundle.pem)");
                } else if (!Files.isReadable(Path.of(db.sslRootCert().get()))) {
                    problems.add(key + ".ssl-root-cert '" + db.sslRootCert().get() + "' cannot be read: check the path and its permissions");
                }
            }
            settings.add(new DatabaseSettings(db.name(), db.host(), db.port(), db.user(), password, db.dbname(), db.role(),
                    db.sslMode(), db.sslRootCert().orElse(null), db.source().orElse(null), null,
                    new PasswordSource(password, db.password().isPresent() ? null : db.passwordFile().orElse(null))));
        }
        return List.copyOf(settings);
    }

    private static String password(MonitorConfig.Database db, String key, List<String> problems) {
        if (db.password().isPresent() && db.passwordFile().isPresent()) {
            problems.add(key + " sets both password and password-file: keep only one (password-file is preferred for mounted secrets)");
            return null;
        }
        if (db.passwordFile().isEmpty()) {
            return db.password().orElse(null);
        }
        Path file = Path.of(db.passwordFile().get());
        try {
            return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException | RuntimeException e) {
            // Only the path is reported: the exception text never holds file contents, but say nothing more than needed.
            problems.add(key + ".password-file '" + file + "' cannot be read (" + e.getClass().getSimpleName()
                    + "): check the path and that the monitor's user may read it");
            return null;
        }
    }

    private static void requireText(String key, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is empty: it is required");
        }
    }
}

package io.pgrepmon.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration rules through the real SmallRye mapping, without starting the application. */
class ConfigValidatorTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        database(p, 0, "source", "source");
        database(p, 1, "target", "target");
        return p;
    }

    private static void database(Map<String, String> p, int i, String name, String role) {
        String k = "monitor.databases[" + i + "].";
        p.put(k + "name", name);
        p.put(k + "host", "db-" + name + ".internal");
        p.put(k + "user", "monitor");
        p.put(k + "password", "s3cret-value");
        p.put(k + "dbname", "app");
        p.put(k + "role", role);
    }

    private static MonitorConfig map(Map<String, String> properties) {
        SmallRyeConfig config = TestConfigs.builder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(MonitorConfig.class);
    }

    @Test
    void validConfigurationGivesDefaultsAndResolvedDatabases() {
        MonitorConfig config = map(valid());
        List<DatabaseSettings> databases = ConfigValidator.validate(config).databases();
        assertThat(config.refreshInterval()).hasSeconds(5);
        assertThat(config.thresholds().lagBytes()).isEqualTo(1024 * 1024);
        assertThat(config.thresholds().effectiveLagBytesCritical()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.thresholds().slotInactive()).hasSeconds(60);
        assertThat(databases).extracting(DatabaseSettings::name).containsExactly("source", "target");
        assertThat(databases.get(0).port()).isEqualTo(5432);
        assertThat(databases.get(0).sslMode()).isEqualTo(SslMode.PREFER);
        assertThat(databases.get(1).role()).isEqualTo(Role.TARGET);
        assertThat(databases.get(0).toString()).doesNotContain("s3cret-value");
    }

    @Test
    void theValidatedSettingsAreTypedWithTheirDefaultsApplied() {
        Map<String, String> p = valid();
        p.put("monitor.alerts.min-severity", "CRITICAL");
        p.put("monitor.alerts.webhooks[0].url", "https://hooks.example.com/services/secret-path");
        p.put("monitor.alerts.webhooks[0].format", "slack");
        p.put("monitor.thresholds.lag-bytes", "2000");
        MonitorSettings settings = ConfigValidator.validate(map(p));
        assertThat(settings.poll().interval()).hasSeconds(5);
        assertThat(settings.poll().queryTimeout()).isLessThan(settings.poll().interval());
        assertThat(settings.thresholds().lagBytes()).isEqualTo(2000);
        assertThat(settings.thresholds().lagBytesCritical()).as("ten times lag-bytes when not set").isEqualTo(20000);
        assertThat(settings.alerts().criticalOnly()).isTrue();
        assertThat(settings.alerts().webhooks()).singleElement()
                .satisfies(w -> assertThat(w.format()).isEqualTo(MonitorSettings.Webhook.Format.SLACK))
                .satisfies(w -> assertThat(w.toString()).doesNotContain("secret-path"));
        assertThat(settings.cutover().maxTables()).isPositive();
        assertThat(settings.history().retention()).isPositive();
    }

    @Test
    void partialTablesAreSchemaQualifiedNamesOrSchemaWildcards() {
        Map<String, String> p = valid();
        p.put("monitor.cutover.partial-tables[0]", "public.audit_log");
        p.put("monitor.cutover.partial-tables[1]", "archive.*");
        MonitorSettings.Cutover cutover = ConfigValidator.validate(map(p)).cutover();
        assertThat(cutover.declaredPartial("public.audit_log")).isEqualTo("public.audit_log");
        assertThat(cutover.declaredPartial("archive.orders_2019")).isEqualTo("archive.*");
        assertThat(cutover.declaredPartial("public.orders")).isNull();
        p.put("monitor.cutover.partial-tables[1]", "audit_log");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("monitor.cutover.partial-tables[1] is 'audit_log': give schema.table or schema.*");
        p.remove("monitor.cutover.partial-tables[1]");
        p.put("monitor.cutover.counts-suffice[0]", "logs.*");
        assertThat(ConfigValidator.validate(map(p)).cutover().declaredCountsSuffice("logs.events")).isEqualTo("logs.*");
        p.put("monitor.cutover.counts-suffice[0]", "logs");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("monitor.cutover.counts-suffice[0] is 'logs': give schema.table or schema.*");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPropertyName() {
        Map<String, String> p = valid();
        p.put("monitor.databases[1].name", "source");
        p.put("monitor.databases[0].port", "70000");
        p.put("monitor.refresh-interval", "-5s");
        p.put("monitor.thresholds.lag-bytes", "-1");
        p.put("monitor.databases[1].ssl-mode", "verify-full");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("monitor.databases[1].name 'source' is used by another database")
                .hasMessageContaining("monitor.databases[0].port is 70000")
                .hasMessageContaining("monitor.refresh-interval is -5s: it must be positive")
                .hasMessageContaining("monitor.thresholds.lag-bytes is -1")
                .hasMessageContaining("monitor.databases[1].ssl-root-cert is missing: ssl-mode verify-full")
                .hasMessageNotContaining("s3cret-value")
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).hasSize(5));
    }

    @Test
    void timeoutsMustFitInTheInterval() {
        Map<String, String> p = valid();
        p.put("monitor.refresh-interval", "2s");
        p.put("monitor.query-timeout", "3s");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.query-timeout (3000ms) must be shorter than monitor.refresh-interval (2000ms)");
    }

    @Test
    void noDatabasesIsAnError() {
        assertThatThrownBy(() -> ConfigValidator.validate(map(Map.of())))
                .hasMessageContaining("monitor.databases is empty");
    }

    @Test
    void badNamesAndBlankFieldsAreNamed() {
        Map<String, String> p = valid();
        p.put("monitor.databases[0].name", "bad name/with slash");
        p.put("monitor.databases[1].host", " ");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.databases[0].name 'bad name/with slash' is not valid")
                .hasMessageContaining("monitor.databases[1].host is empty");
    }

    @Test
    void unknownRoleAndMissingHostAreRejectedByTheMappingWithThePropertyName() {
        Map<String, String> p = valid();
        p.put("monitor.databases[0].role", "sourse");
        p.remove("monitor.databases[1].host");
        assertThatThrownBy(() -> map(p))
                .hasMessageContaining("monitor.databases[0].role")
                .hasMessageContaining("sourse")
                .hasMessageContaining("monitor.databases[1].host");
    }

    @Test
    void passwordFileIsReadAndNotCombinableWithPassword(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secret = dir.resolve("pw");
        Files.writeString(secret, "from-file\n");
        Map<String, String> p = valid();
        p.remove("monitor.databases[0].password");
        p.put("monitor.databases[0].password-file", secret.toString());
        assertThat(ConfigValidator.validate(map(p)).databases().get(0).password()).isEqualTo("from-file");

        p.put("monitor.databases[1].password-file", dir.resolve("missing").toString());
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.databases[1] sets both password and password-file");
        p.remove("monitor.databases[1].password");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.databases[1].password-file '" + dir.resolve("missing") + "' cannot be read");
    }

    @Test
    void pairsAndSourcesMustNameDatabasesOfTheRightRole() {
        Map<String, String> p = valid();
        p.put("monitor.databases[1].source", "source");
        p.put("monitor.pairs[0].target", "target");
        p.put("monitor.pairs[0].subscription", "orders");
        p.put("monitor.pairs[0].source", "source");
        p.put("monitor.pairs[0].slot", "orders_slot");
        MonitorSettings ok = ConfigValidator.validate(map(p));
        assertThat(ok.databases().get(1).source()).isEqualTo("source");
        assertThat(ok.pairs()).containsExactly(new PairSettings("target", "orders", "source", "orders_slot"));

        p.put("monitor.databases[0].source", "target");
        p.put("monitor.databases[1].source", "nowhere");
        p.put("monitor.pairs[1].target", "source");
        p.put("monitor.pairs[1].subscription", "orders");
        p.put("monitor.pairs[1].source", "source");
        p.put("monitor.pairs[2].target", "target");
        p.put("monitor.pairs[2].subscription", "orders");
        p.put("monitor.pairs[2].source", "source");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.databases[0].source is set on a source database")
                .hasMessageContaining("monitor.databases[1].source 'nowhere' is not the name of any database in monitor.databases: use one of [source]")
                .hasMessageContaining("monitor.pairs[1].target 'source' is a source database: it must name a target database")
                .hasMessageContaining("monitor.pairs[2] links subscription 'orders' of 'target' a second time");
    }

    @Test
    void newThresholdsHaveDefaultsAndRejectNegativeValues() {
        MonitorConfig config = map(valid());
        assertThat(config.thresholds().safeWalSize()).isEqualTo(1024L * 1024 * 1024);
        assertThat(config.thresholds().walsenderStalled()).hasSeconds(60);
        assertThat(config.thresholds().tableSyncStuck()).hasMinutes(10);
        assertThat(config.thresholds().errorRecent()).hasMinutes(10);
        assertThat(config.connectConcurrency()).isEqualTo(16);
        Map<String, String> p = valid();
        p.put("monitor.thresholds.safe-wal-size", "-1");
        p.put("monitor.thresholds.table-sync-stuck", "-1s");
        p.put("monitor.idle-timeout", "-1s");
        p.put("monitor.connect-concurrency", "0");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.idle-timeout is negative")
                .hasMessageContaining("monitor.connect-concurrency is 0: give at least 1")
                .hasMessageContaining("monitor.thresholds.safe-wal-size is -1")
                .hasMessageContaining("monitor.thresholds.table-sync-stuck is negative");
    }

    @Test
    void theDocumentedExampleFileMapsAsWritten() throws Exception {
        SmallRyeConfig config = TestConfigs.builder()
                .withSources(new io.smallrye.config.source.yaml.YamlConfigSource(Path.of("config/example.yaml").toUri().toURL(), 100))
                .withSources(new PropertiesConfigSource(Map.of("SOURCE_PASSWORD", "from-env"), "env", 50))
                .build();
        MonitorConfig example = config.getConfigMapping(MonitorConfig.class);
        assertThat(example.databases()).extracting(MonitorConfig.Database::name).containsExactly("source", "target");
        assertThat(example.databases().get(0).password()).contains("from-env");
        assertThat(example.databases().get(1).source()).contains("source");
        assertThat(example.thresholds().tableSyncStuck()).hasMinutes(10);
        assertThat(example.thresholds().safeWalSize()).isEqualTo(1024L * 1024 * 1024);
        assertThat(example.pairs()).isEmpty();
        assertThat(example.security().basic().username()).contains("ops");
        assertThat(example.security().tokenSha256File()).contains("/run/secrets/monitor-token-sha256");
        assertThat(example.idleTimeout()).hasMinutes(10);
    }

    @Test
    void accessControlIsOnUnlessLoopbackOrExplicitlyOffAndNeedsACredential() {
        assertThat(ConfigValidator.validate(map(valid()), "127.0.0.1").security().enabled()).isFalse();
        assertThatThrownBy(() -> ConfigValidator.validate(map(valid()), "0.0.0.0"))
                .hasMessageContaining("monitor.security: access control is on (the HTTP server listens on 0.0.0.0, not only on loopback)"
                        + " but no credential is configured");
        Map<String, String> off = valid();
        off.put("monitor.security.enabled", "false");
        SecuritySettings open = ConfigValidator.validate(map(off), "0.0.0.0").security();
        assertThat(open.enabled()).isFalse();
        assertThat(open.why()).contains("monitor.security.enabled is false");

        Map<String, String> p = valid();
        p.put("monitor.security.token-sha256", "a".repeat(64));
        SecuritySettings withToken = ConfigValidator.validate(map(p), "0.0.0.0").security();
        assertThat(withToken.enabled()).isTrue();
        assertThat(withToken.tokenSha256()).hasSize(32);
        assertThat(withToken.toString()).doesNotContain("aaaa");
    }

    @Test
    void badCredentialsConfigurationIsNamedWithoutEchoingSecrets() {
        Map<String, String> p = valid();
        p.put("monitor.security.enabled", "true");
        p.put("monitor.security.token-sha256", "my-actual-token-pasted-by-mistake");
        p.put("monitor.security.basic.username", "ops");
        p.put("monitor.security.basic.password-hash", "plain-password-canary");
        p.put("monitor.security.allowed-origins[0]", "https://ops.example.com/dashboard");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p), "0.0.0.0"))
                .hasMessageContaining("monitor.security.token-sha256 is not a SHA-256 in hex")
                .hasMessageContaining("monitor.security.basic.password-hash is not a bcrypt hash")
                .hasMessageContaining("monitor.security.allowed-origins[0] 'https://ops.example.com/dashboard' is not an origin")
                .hasMessageNotContaining("my-actual-token-pasted-by-mistake")
                .hasMessageNotContaining("plain-password-canary");

        Map<String, String> q = valid();
        q.put("monitor.security.basic.username", "ops");
        q.put("monitor.security.enabled", "true");
        assertThatThrownBy(() -> ConfigValidator.validate(map(q), "0.0.0.0"))
                .hasMessageContaining("monitor.security.basic.username is set without a password hash");
    }

    @Test
    void heartbeatsAndAlertWebhooksAreCheckedWithoutEchoingTheUrl() {
        Map<String, String> p = valid();
        p.put("monitor.heartbeats[0].source", "source");
        p.put("monitor.heartbeats[0].target", "target");
        MonitorSettings ok = ConfigValidator.validate(map(p));
        assertThat(ok.heartbeats()).containsExactly(new HeartbeatSettings("source", "target", "public"));
        assertThat(ok.databases()).extracting(DatabaseSettings::heartbeatSchema).containsExactly("public", "public");

        p.put("monitor.heartbeats[0].source", "target");
        p.put("monitor.heartbeats[0].schema", "bad schema;");
        p.put("monitor.alerts.min-severity", "sometimes");
        p.put("monitor.alerts.webhooks[0].url", "ftp://hooks.example.com/secret-token-in-url");
        p.put("monitor.alerts.webhooks[0].format", "xml");
        assertThatThrownBy(() -> ConfigValidator.validate(map(p)))
                .hasMessageContaining("monitor.heartbeats[0].source 'target' is a target database")
                .hasMessageContaining("monitor.heartbeats[0].schema 'bad schema;' is not a plain schema name")
                .hasMessageContaining("monitor.alerts.min-severity is 'sometimes'")
                .hasMessageContaining("monitor.alerts.webhooks[0].url is not an http(s) URL")
                .hasMessageContaining("monitor.alerts.webhooks[0].format is 'xml'")
                .hasMessageNotContaining("secret-token-in-url");
    }
}

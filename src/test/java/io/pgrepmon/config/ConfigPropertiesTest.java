package io.pgrepmon.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.source.yaml.YamlConfigSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the configuration: whatever an operator writes (random YAML, values out of range,
 * unknown keys, huge lists), the outcome is either a valid configuration or an error whose message names what is
 * wrong; never another exception, never a message that is only a stack trace, never the password echoed.
 */
class ConfigPropertiesTest {

    static final String SECRET = "canary-secret-7f3a";

    /** The exceptions that carry a message meant for the operator. */
    static final List<Class<? extends Throwable>> CLEAR = List.of(InvalidConfigException.class,
            io.smallrye.config.ConfigValidationException.class, java.util.NoSuchElementException.class,
            IllegalArgumentException.class,
            // Past the syntax check, the YAML source may still refuse a structure (e.g. an anchor it cannot resolve).
            org.yaml.snakeyaml.error.YAMLException.class);

    static SmallRyeConfig fromYaml(String yaml) {
        return TestConfigs.builder().withSources(new YamlConfigSource("random.yaml", yaml, 100)).build();
    }

    static SmallRyeConfig fromProperties(Map<String, String> properties) {
        return TestConfigs.builder().withSources(new PropertiesConfigSource(properties, "random", 100)).build();
    }

    /** Either valid, or a clear error; returns the error message (null when valid). */
    static String outcome(java.util.function.Supplier<SmallRyeConfig> config) {
        try {
            MonitorSettings settings = ConfigValidator.validate(config.get().getConfigMapping(MonitorConfig.class), "0.0.0.0");
            assertThat(settings.databases()).isNotEmpty();
            return null;
        } catch (RuntimeException e) {
            Throwable root = e;
            // SmallRye wraps YAML parse errors; the operator sees the whole chain's messages.
            while (root.getCause() != null && !CLEAR.contains(root.getClass())) {
                root = root.getCause();
            }
            Throwable cause = root;
            assertThat(CLEAR.stream().anyMatch(c -> c.isInstance(e) || c.isInstance(cause)))
                    .as("unexpected %s: %s", e.getClass().getName(), e.getMessage()).isTrue();
            String message = e.getMessage();
            assertThat(message).as("a message for the operator").isNotBlank().doesNotStartWith("java.")
                    .doesNotContain(SECRET);
            return message;
        }
    }

    /** As Main does with --config: the syntax first (without quoting lines), then mapping and validation. */
    static String outcomeOfFile(String yaml) {
        var syntax = YamlSyntax.check(yaml, "config.yaml");
        if (syntax.isPresent()) {
            assertThat(syntax.get()).startsWith("config.yaml").contains("invalid YAML").doesNotContain(SECRET);
            return syntax.get();
        }
        return outcome(() -> fromYaml(yaml));
    }

    /** Found by the property below: SnakeYAML throws IllegalArgumentException for a tag that decodes to spaces. */
    @Example
    void aTagWithEncodedSpacesIsInvalidYamlNotAnException() {
        assertThat(outcomeOfFile("monitor:\n  refresh-interval: !x%20 5s\n"))
                .isEqualTo("config.yaml: invalid YAML (a malformed tag or value); check its syntax");
    }

    @Property(tries = 300)
    void randomYamlGivesAClearErrorAndNeverEchoesTheSecret(@ForAll("yamlish") String yaml) {
        outcomeOfFile(yaml);
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> garbage = Arbitraries.strings().withChars(":-[]{}#&*!|>'\"%@` \n\tabc019.").ofMaxLength(200);
        Arbitrary<String> structured = Combinators.combine(
                Arbitraries.of("5s", "-1s", "0", "abc", "1000000000d", "1ms", "PT5S", "", "[]", "{}"),
                Arbitraries.of("5432", "0", "-1", "70000", "x", "", "99999999999"),
                Arbitraries.of("source", "target", "sourse", "", "[1]"),
                Arbitraries.of("disable", "prefer", "verify-full", "nonsense"),
                Arbitraries.strings().alpha().numeric().withChars("._-/ é").ofMaxLength(70))
                .as((interval, port, role, ssl, name) -> """
                        monitor:
                          refresh-interval: %s
                          databases:
                            - name: "%s"
                              host: db.internal
                              port: %s
                              user: monitor
                              password: %s
                              dbname: app
                              role: %s
                              ssl-mode: %s
                        """.formatted(interval, name.replace("\"", ""), port, SECRET, role, ssl));
        return Arbitraries.oneOf(garbage, structured);
    }

    @Property(tries = 50)
    void aSyntaxErrorOnThePasswordLineDoesNotEchoIt(@ForAll("brokenPasswordLines") String line) {
        String yaml = """
                monitor:
                  databases:
                    - name: source
                      host: db.internal
                      user: monitor
                %s
                      dbname: app
                      role: source
                """.formatted(line);
        String message = outcomeOfFile(yaml);
        if (message != null && message.contains("invalid YAML")) {
            assertThat(message).containsPattern("line \\d+, column \\d+");
        }
    }

    @Provide
    Arbitrary<String> brokenPasswordLines() {
        return Arbitraries.of("      password: \"" + SECRET, "      password: '" + SECRET, "      password: [" + SECRET,
                "      password: {" + SECRET, "      password: " + SECRET + ": x: y", "     password: " + SECRET,
                "        password: " + SECRET, "      password: *" + SECRET, "      password: &a " + SECRET + " &b");
    }

    @Property(tries = 200)
    void outOfRangeValuesAreNamedByTheirProperty(@ForAll @IntRange(min = -100000, max = 200000) int port,
                                                 @ForAll @IntRange(min = -10, max = 10) int intervalSeconds,
                                                 @ForAll @IntRange(min = -5, max = 20) int queryTimeoutSeconds) {
        Map<String, String> p = valid();
        p.put("monitor.databases[0].port", Integer.toString(port));
        p.put("monitor.refresh-interval", intervalSeconds + "s");
        p.put("monitor.query-timeout", queryTimeoutSeconds + "s");
        String message = outcome(() -> fromProperties(p));
        boolean portBad = port < 1 || port > 65535;
        boolean intervalBad = intervalSeconds < 1;
        boolean timeoutBad = !intervalBad && (queryTimeoutSeconds <= 0 || queryTimeoutSeconds >= intervalSeconds
                || 3 > queryTimeoutSeconds);
        if (portBad) {
            assertThat(message).contains("monitor.databases[0].port");
        }
        if (intervalBad) {
            assertThat(message).contains("monitor.refresh-interval");
        }
        if (timeoutBad) {
            assertThat(message).containsAnyOf("monitor.query-timeout", "monitor.connect-timeout");
        }
        if (!portBad && !intervalBad && !timeoutBad) {
            assertThat(message).isNull();
        }
    }

    @Property(tries = 100)
    void unknownKeysAreRejectedByName(@ForAll("keys") String key) {
        Map<String, String> p = valid();
        p.put("monitor." + key, "1");
        String message = outcome(() -> fromProperties(p));
        assertThat(message).contains("monitor." + key);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(20)
                .filter(k -> !List.of("databases", "pairs", "thresholds", "security").contains(k))
                .map(k -> k + "-unknown");
    }

    @Property(tries = 5)
    void hugeListsAreValidatedQuicklyAndDuplicatesNamed(@ForAll @IntRange(min = 500, max = 2000) int count) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < count; i++) {
            put(p, i, "db-" + (i % (count - 1)), i % 2 == 0 ? "source" : "target");
        }
        long t0 = System.nanoTime();
        String message = outcome(() -> fromProperties(p));
        assertThat((System.nanoTime() - t0) / 1_000_000).as("milliseconds to validate %d databases", count).isLessThan(5000);
        assertThat(message).contains("monitor.databases[" + (count - 1) + "].name 'db-0' is used by another database");
    }

    static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        put(p, 0, "source", "source");
        put(p, 1, "target", "target");
        p.put("monitor.security.enabled", "false");
        return p;
    }

    static void put(Map<String, String> p, int i, String name, String role) {
        String k = "monitor.databases[" + i + "].";
        p.put(k + "name", name);
        p.put(k + "host", "db.internal");
        p.put(k + "user", "monitor");
        p.put(k + "password", SECRET);
        p.put(k + "dbname", "app");
        p.put(k + "role", role);
    }
}

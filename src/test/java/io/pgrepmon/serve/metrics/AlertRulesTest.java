package io.pgrepmon.serve.metrics;

import io.pgrepmon.harness.Promtool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules: valid for Prometheus, each one unit-tested with promtool (firing on its condition,
 * not before its {@code for}), and each runbook link pointing at a section of docs/operations.md.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("deploy/prometheus/pgrepmon-alerts.yaml");
    static final Path TESTS = Path.of("deploy/prometheus/pgrepmon-alerts.test.yaml");

    @Test
    void theRulesAreValidAndPassTheirUnitTests() throws Exception {
        Promtool.Result check = Promtool.run(null, "check", "rules", RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        Promtool.Result test = Promtool.run(null, "test", "rules", TESTS.toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyRuleIsTestedFiringAndHasARunbookSection() throws Exception {
        Set<String> rules = names(Files.readString(RULES), "- alert: (\\w+)");
        Set<String> firing = names(Files.readString(TESTS), "alertname: (\\w+)\\n\\s+exp_alerts:\\n\\s+- exp_labels");
        assertThat(rules).hasSizeGreaterThanOrEqualTo(15);
        assertThat(firing).as("rules with a test in which they fire").containsExactlyInAnyOrderElementsOf(rules);
        Set<String> anchors = names(Files.readString(RULES), "runbook: \"docs/operations.md#([a-z-]+)\"");
        Set<String> sections = new TreeSet<>();
        for (String heading : names(Files.readString(Path.of("docs/operations.md")), "(?m)^### (.+)$")) {
            sections.add(heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
        }
        assertThat(sections).containsAll(anchors);
    }

    private static Set<String> names(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}

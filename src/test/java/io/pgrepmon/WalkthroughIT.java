package io.pgrepmon;

import io.pgrepmon.harness.PgCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MIGRATION_EXAMPLE.md's commands, every {@code bash} block in order, run as one script in one shell, as a reader
 * would paste them: the encrypted-copy migration and the 13 to 17 upgrade end to end, each to Ready and the switch.
 * Only its state directory and ports are its own (the page lets the environment choose them).
 */
class WalkthroughIT {

    static final Pattern BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");

    static String commands() throws IOException {
        Matcher blocks = BLOCK.matcher(Files.readString(Path.of("MIGRATION_EXAMPLE.md")));
        List<String> script = new ArrayList<>();
        while (blocks.find()) {
            script.add(blocks.group(1));
        }
        assertThat(script).as("bash blocks in MIGRATION_EXAMPLE.md").hasSizeGreaterThan(10);
        return String.join("\n", script);
    }

    @Test
    void theWalkthroughRunsAsWrittenToReadyAndTheSwitchTwice() throws Exception {
        Path state = Path.of("/tmp", "pgrepmon-walkthrough-it-" + ProcessHandle.current().pid());
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands()).redirectErrorStream(true);
        bash.environment().put("STATE_DIR", state.toString());
        for (String port : new String[] {"OLD_PORT", "NEW_PORT", "MONITOR_PORT", "V13_PORT", "V17_PORT"}) {
            bash.environment().put(port, Integer.toString(PgCluster.freePort()));
        }
        Path log = Files.createTempFile("walkthrough", ".log");
        Process run = bash.redirectOutput(log.toFile()).start();
        try {
            assertThat(run.waitFor(20, TimeUnit.MINUTES)).as("the walkthrough finishes (its output: %s)", log).isTrue();
            String output = Files.readString(log);
            assertThat(run.exitValue()).as("exit status; the walkthrough printed:%n%s", output).isZero();
            assertThat(output).contains("sub_app: health healthy").contains("gate: HTTP 200")
                    .contains("slots left on the old database: 0").contains("the application now uses PostgreSQL 17");
            assertThat(Pattern.compile("4\\. Ready").matcher(output).results().count()).as("Ready twice").isEqualTo(2);
            Matcher ids = Pattern.compile("first order on the new database: (\\d+); the old database's last: (\\d+)").matcher(output);
            assertThat(ids.find()).isTrue();
            assertThat(Long.parseLong(ids.group(1))).as("no id the old database used").isGreaterThan(Long.parseLong(ids.group(2)));
            assertThat(state).as("cleaned up").doesNotExist();
        } finally {
            run.destroyForcibly();
            stopLeftovers(state);
        }
    }

    /** After a failure half-way: the processes the walkthrough started, and its clusters (fast shutdown). */
    static void stopLeftovers(Path state) throws IOException, InterruptedException {
        if (!Files.isDirectory(state)) {
            return;
        }
        try (Stream<Path> files = Files.walk(state, 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String pid = Files.readAllLines(file).get(0).strip();
                String signal = file.getFileName().toString().equals("postmaster.pid") ? "-INT" : "-TERM";
                new ProcessBuilder("kill", signal, pid).start().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}

package io.pgrepmon;

import io.pgrepmon.harness.PgCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet benchmark (scripts/bench-fleet.sh, see docs/benchmarks.md) at a smoke size: four databases on two
 * clusters, one short round each for the monitor and the exporter, so that the script keeps working. Its figures
 * are not judged here; that the row holds measured ticks and scrapes is.
 */
class FleetBenchmarkSmokeIT {

    @Test
    void theFleetBenchmarkRunsBothAndWritesItsTable() throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("pgrepmon-bench-smoke");
        Path out = Path.of("target", "bench-smoke.md").toAbsolutePath();
        Files.deleteIfExists(out);
        Map<String, String> env = Map.of("SIZES", "4", "ROUND", "10", "WARMUP", "4", "INTERVAL", "2",
                "DBS_PER_CLUSTER", "4", "STATE_DIR", state.toString(), "OUT", out.toString(),
                "BASE_PORT", Integer.toString(PgCluster.freePort()), "MONITOR_PORT", Integer.toString(PgCluster.freePort()),
                "EXPORTER_PORT", Integer.toString(PgCluster.freePort()));
        Path log = state.resolve("smoke.log");
        try {
            int exit = run(env, log, "scripts/bench-fleet.sh");
            assertThat(exit).as(Files.readString(log)).isZero();
            String row = Files.readAllLines(out).stream().filter(l -> l.startsWith("| 4 |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for 4 databases in " + out));
            // | 4 | p50 / p99 ms (N ticks) | p50 / p99 ms (M scrapes) | ...
            assertThat(row).containsPattern("\\(([1-9]\\d*) ticks\\)").containsPattern("\\(([1-9]\\d*) scrapes\\)")
                    .contains(" MB |");
        } finally {
            run(env, state.resolve("stop.log"), "scripts/bench-fleet.sh", "--stop");
        }
    }

    private static int run(Map<String, String> env, Path log, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 10 minutes: " + String.join(" ", command));
        }
        return process.exitValue();
    }
}

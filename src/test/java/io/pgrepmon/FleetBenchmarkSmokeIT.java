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
 * The fleet benchmarks (scripts/bench-fleet.sh, bench-fanout.sh and bench-soak.sh, see docs/benchmarks.md) at a
 * smoke size on one fleet of four databases on two clusters: one short round each for the monitor and the exporter,
 * a few WebSocket clients and requests, a soak of seconds, so that the scripts keep working. Their figures are not
 * judged here; that each table holds measured rows is.
 */
class FleetBenchmarkSmokeIT {

    @Test
    void theFleetBenchmarkRunsBothAndWritesItsTable() throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("pgrepmon-bench-smoke");
        Path out = Path.of("target", "bench-smoke.md").toAbsolutePath();
        Path fanout = Path.of("target", "bench-smoke-fanout.md").toAbsolutePath();
        Path soak = Path.of("target", "bench-smoke-soak.md").toAbsolutePath();
        for (Path p : List.of(out, fanout, soak)) {
            Files.deleteIfExists(p);
        }
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

            Map<String, String> clients = new java.util.HashMap<>(env);
            clients.putAll(Map.of("SIZE", "4", "CLIENTS", "10", "ROUND", "5", "WARMUP", "2", "RATE", "5",
                    "OUT", fanout.toString()));
            assertThat(run(clients, state.resolve("fanout.log"), "scripts/bench-fanout.sh"))
                    .as(Files.readString(state.resolve("fanout.log"))).isZero();
            // | 10 clients of one pair each | snapshots | deliveries (missed) | ... and the requests' rows
            assertThat(Files.readString(fanout)).containsPattern("\\| 10 clients of one pair each \\| [1-9]\\d* \\|")
                    .containsPattern("\\| 10 clients of the whole snapshot \\| [1-9]\\d* \\|")
                    .containsPattern("\\| GET /api/snapshot at 5/s \\| [1-9]\\d* \\(0\\) \\|");

            clients.putAll(Map.of("DURATION", "12", "SAMPLE", "3", "SOCKETS", "4", "RATE", "2", "OUT", soak.toString()));
            assertThat(run(clients, state.resolve("soak.log"), "scripts/bench-soak.sh"))
                    .as(Files.readString(state.resolve("soak.log"))).isZero();
            // | minute | RSS | heap in use | ... one row per sample kept, and what the clients received
            assertThat(Files.readString(soak)).containsPattern("\\| 0 \\| [1-9]\\d* MB \\|")
                    .containsPattern("GET /api/snapshot at 2/s: [1-9]\\d* answered, 0 errors");
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

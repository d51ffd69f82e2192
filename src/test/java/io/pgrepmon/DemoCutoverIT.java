package io.pgrepmon;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.pgrepmon.harness.Chromium;
import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.Replication;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a newcomer does: {@code scripts/demo.sh}, then {@code scripts/cutover.sh} in another terminal, and the page
 * shows the pair Ready. Run as written, on free ports and a state directory of its own; the demo's monitor role has
 * only the grants the setup script gives it (pg_monitor and SELECT on the replicated tables and sequences).
 */
class DemoCutoverIT {

    @Test
    void fromTheDemoToAGreenReadyWithOneMoreCommand() throws Exception {
        Path state = Files.createTempDirectory("pgrepmon-demo-it");
        state.toFile().setExecutable(true, false);
        state.toFile().setReadable(true, false);
        int monitorPort = PgCluster.freePort();
        Map<String, String> env = Map.of("STATE_DIR", state.resolve("clusters").toString(),
                "SOURCE_PORT", Integer.toString(PgCluster.freePort()), "TARGET_PORT", Integer.toString(PgCluster.freePort()),
                "MONITOR_PORT", Integer.toString(monitorPort), "RATE", "50");
        Path demoLog = state.resolve("demo.log");
        ProcessBuilder demo = new ProcessBuilder("bash", "scripts/demo.sh").redirectErrorStream(true).redirectOutput(demoLog.toFile());
        demo.environment().putAll(env);
        Process running = demo.start();
        String monitor = "http://127.0.0.1:" + monitorPort;
        try {
            HttpClient http = HttpClient.newHttpClient();
            Replication.await(Duration.ofSeconds(120), "the demo's monitor sees sub_orders", () -> {
                assertThat(running.isAlive()).as("demo.sh running (its output: %s)", demoLog).isTrue();
                try {
                    HttpResponse<String> overview = http.send(HttpRequest.newBuilder(URI.create(monitor + "/api/overview")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return overview.statusCode() == 200 && overview.body().contains("\"name\":\"sub_orders\"");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            // Not Ready while the load writes (and before the sequences are fixed).
            assertThat(http.send(HttpRequest.newBuilder(URI.create(monitor + "/api/cutover/sub_orders")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(503);

            Path cutoverLog = state.resolve("cutover.log");
            ProcessBuilder cutover = new ProcessBuilder("bash", "scripts/cutover.sh").redirectErrorStream(true)
                    .redirectOutput(cutoverLog.toFile());
            cutover.environment().putAll(env);
            cutover.environment().put("TIMEOUT", "240");
            Process cut = cutover.start();
            assertThat(cut.waitFor(300, TimeUnit.SECONDS)).as("cutover.sh ends (its output: %s)", cutoverLog).isTrue();
            String output = Files.readString(cutoverLog);
            assertThat(cut.exitValue()).as("cutover.sh said:%n%s", output).isZero();
            assertThat(output).contains("1. Stopping the writes on the source", "the writer is stopped",
                    "3. Applying on the target the sequence statements the monitor reports", "setval", "4. Ready",
                    "DROP SUBSCRIPTION sub_orders");
            assertThat(state.resolve("clusters/load.pid")).as("the stopped writer's pid is not kept").doesNotExist();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(monitor + "/api/cutover/sub_orders")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as("the gate").isEqualTo(200);

            // The page says so: the pair's verdict is Ready, in green.
            try (Playwright playwright = Chromium.playwright(); Browser browser = Chromium.launch(playwright)) {
                Page page = browser.newPage();
                page.navigate(monitor + "/#/pairs/sub_orders");
                Chromium.waitFor(page, "() => document.querySelector(\"#detail [data-pair='sub_orders'] [data-field='verdict'] [data-status='healthy']\")", 30);
                assertThat(page.locator("#detail [data-pair='sub_orders'] [data-field='verdict']").innerText()).contains("Ready to cut over");
                Files.createDirectories(Chromium.SHOTS);
                page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SHOTS.resolve("9-demo-ready-1280x720.png")));
            }
        } finally {
            running.destroy(); // SIGTERM: demo.sh's trap stops the load, the monitor and both clusters
            assertThat(running.waitFor(60, TimeUnit.SECONDS)).as("demo.sh stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(demoLog)).contains("Stopping the demo");
    }
}

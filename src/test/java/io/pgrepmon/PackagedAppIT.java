package io.pgrepmon;

import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.SilentListener;
import io.pgrepmon.harness.SocketClient;
import io.quarkus.elytron.security.common.BcryptUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar run as an operator runs it, in its own process: shutdown in the middle of a poll, a broken
 * configuration file, and the hash helpers.
 */
class PackagedAppIT {

    static PgCluster cluster;
    static SilentListener silent;

    @BeforeAll
    static void start() throws IOException {
        cluster = PgCluster.start("packaged", 15, Map.of());
        silent = new SilentListener();
    }

    @AfterAll
    static void stop() throws IOException {
        silent.close();
        cluster.close();
    }

    static Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    static String jar() {
        return System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar");
    }

    @Test
    void shutdownDuringAPollIsCleanAndClosesEverything() throws Exception {
        int port = PgCluster.freePort();
        Path config = Files.createTempFile("packaged", ".yaml");
        Files.writeString(config, """
                monitor:
                  refresh-interval: 1s
                  connect-timeout: 500ms
                  query-timeout: 800ms
                  databases:
                    - {name: healthy, host: 127.0.0.1, port: %d, user: postgres, password: "%s", dbname: postgres, role: source, ssl-mode: disable}
                    - {name: hung, host: 127.0.0.1, port: %d, user: monitor, password: x, dbname: app, role: target, ssl-mode: disable}
                """.formatted(cluster.port(), cluster.password(), silent.port()));
        Path output = Files.createTempFile("packaged", ".log");
        Process app = launch(output, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar(),
                "--config", config.toString());
        try {
            HttpClient http = HttpClient.newHttpClient();
            Replication.await(Duration.ofSeconds(30), "first snapshot", () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/snapshot")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            try (SocketClient client = new SocketClient(URI.create("http://127.0.0.1:" + port + "/api/ws"))) {
                client.next(Duration.ofSeconds(5));
                client.next(Duration.ofSeconds(5));
                // A snapshot is published when a tick ends (after the hung database's 800 ms deadline); the next
                // tick starts about 200 ms later: 400 ms after a message, a poll is in flight.
                Thread.sleep(400);
                Instant signalled = Instant.now();
                app.destroy(); // SIGTERM, as Kubernetes and ECS stop a container
                assertThat(app.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
                assertThat(Duration.between(signalled, Instant.now()).toMillis()).as("shutdown time").isLessThan(5000);
                // A closing handshake, not a dropped connection (1006): 1001 from our shutdown hook, or 1000 when the
                // HTTP server closes its WebSockets first.
                assertThat(client.closeCode(Duration.ofSeconds(5))).as("WebSocket closed cleanly").isIn(1000, 1001);
            }
            assertThat(app.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
            String log = Files.readString(output);
            assertThat(log).contains("stopped in");
            assertThat(log.lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).toList())
                    .as("errors in the log").isEmpty();
            Replication.await(Duration.ofSeconds(5), "no monitor session left", () -> Replication.count(cluster, "postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg-replication-monitor'") == 0);
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void brokenYamlIsRefusedWithItsLineWithoutQuotingIt() throws Exception {
        String secret = "secret-on-a-broken-line-" + Long.toHexString(System.nanoTime());
        Path config = Files.createTempFile("broken", ".yaml");
        Files.writeString(config, """
                monitor:
                  databases:
                    - name: source
                      host: db.internal
                      user: monitor
                      password: "%s
                      dbname: app
                      role: source
                """.formatted(secret));
        Path output = Files.createTempFile("broken", ".log");
        Process app = launch(output, "-jar", jar(), "--config", config.toString());
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(output);
        assertThat(app.exitValue()).isEqualTo(2);
        assertThat(log).contains(config + " line ").contains("invalid YAML").doesNotContain(secret);
    }

    @Test
    void aPasswordFileRotatedInPlaceIsTakenUpAtTheNextConnectionWithoutARestart() throws Exception {
        String first = "first-" + Long.toHexString(System.nanoTime());
        String second = "second-" + Long.toHexString(System.nanoTime());
        try (PgCluster cluster = PgCluster.start("rotation", 15, java.util.Map.of())) {
            cluster.execute("postgres", "CREATE ROLE monitor LOGIN PASSWORD '" + first + "' IN ROLE pg_monitor");
            Path secret = Files.createTempFile("monitor-password", "");
            Files.writeString(secret, first + "\n");
            int port = PgCluster.freePort();
            Path config = Files.createTempFile("rotation", ".yaml");
            Files.writeString(config, """
                    monitor:
                      refresh-interval: 2s
                      connect-timeout: 1s
                      query-timeout: 1500ms
                      databases:
                        - {name: source, host: %s, port: %d, user: monitor, password-file: %s, dbname: postgres, role: source, ssl-mode: disable}
                    """.formatted(cluster.host(), cluster.port(), secret));
            Path log = Files.createTempFile("rotation", ".log");
            Process app = launch(log, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar(),
                    "--config", config.toString());
            try {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> database = () -> {
                    try {
                        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                                + "/api/snapshot?database=source")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                        return answer.statusCode() == 200 ? json.readTree(answer.body()).at("/databases/0") : null;
                    } catch (IOException | InterruptedException e) {
                        return null;
                    }
                };
                Replication.await(Duration.ofSeconds(30), "the monitor reads the database", () -> {
                    var db = database.get();
                    return db != null && db.path("reachable").asBoolean();
                });
                // The secret rotates: the role's password changes, the mounted file with it, and the session goes.
                cluster.execute("postgres", "ALTER ROLE monitor PASSWORD '" + second + "'");
                Files.writeString(secret, second + "\n");
                java.time.Instant rotated = java.time.Instant.now();
                cluster.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'monitor'");
                Replication.await(Duration.ofSeconds(30), "a new session with the new password", () -> Replication.count(cluster,
                        "postgres", "SELECT count(*) FROM pg_stat_activity WHERE usename = 'monitor' AND backend_start > '"
                                + rotated + "'") > 0);
                Replication.await(Duration.ofSeconds(30), "reachable again", () -> {
                    var db = database.get();
                    return db != null && db.path("reachable").asBoolean()
                            && java.time.Instant.parse(db.path("polledAt").asText()).isAfter(rotated.plusSeconds(2));
                });
                assertThat(app.isAlive()).isTrue();
                String output = Files.readString(log);
                assertThat(output).contains("source: its password-file " + secret + " holds a new password")
                        .doesNotContain(first).doesNotContain(second);
            } finally {
                app.destroy();
                app.waitFor(15, TimeUnit.SECONDS);
                Files.deleteIfExists(secret);
                Files.deleteIfExists(config);
            }
        }
    }

    /** Starts the packaged monitor that must refuse to start, and returns what it printed; its exit code must be 2. */
    static String refused(Path config, String... properties) throws Exception {
        Path output = Files.createTempFile("refused", ".log");
        List<String> args = new ArrayList<>(List.of(properties));
        args.addAll(List.of("-jar", jar(), "--config", config.toString()));
        Process app = launch(output, args.toArray(String[]::new));
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("refuses and exits").isTrue();
        String printed = Files.readString(output);
        assertThat(app.exitValue()).as("exit code; it printed:%n%s", printed).isEqualTo(2);
        assertThat(printed).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return printed;
    }

    @Test
    void everyStartUpRefusalIsOneMessageNamingTheFixAndExitCode2() throws Exception {
        Path config = Files.createTempFile("refusal", ".yaml");
        Files.writeString(config, """
                monitor:
                  databases:
                    - {name: source, host: 127.0.0.1, port: 9, user: monitor, password: "pw-not-shown", dbname: app, role: source}
                """);
        // Beyond loopback without a credential: access control is on, and nothing could pass it.
        assertThat(refused(config, "-Dquarkus.http.host=0.0.0.0", "-Dquarkus.http.port=" + PgCluster.freePort()))
                .contains("monitor.security.token-sha256").contains("monitor.security.enabled=false")
                .doesNotContain("pw-not-shown");
        // A setting out of range.
        assertThat(refused(config, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + PgCluster.freePort(),
                "-Dmonitor.refresh-interval=-5s")).contains("monitor.refresh-interval is -5s: it must be positive");
        // The port is taken.
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(refused(config, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + taken.getLocalPort()))
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("quarkus.http.port");
        }
    }

    @Test
    void hashHelpersReadTheSecretFromStandardInput() throws Exception {
        Path output = Files.createTempFile("hash", ".out");
        Process token = launch(output, "-jar", jar(), "--hash-token");
        token.getOutputStream().write("my-token".getBytes(StandardCharsets.UTF_8));
        token.getOutputStream().close();
        assertThat(token.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(output).strip())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("my-token".getBytes(StandardCharsets.UTF_8))));

        Process password = launch(output, "-jar", jar(), "--hash-password");
        password.getOutputStream().write("my-password\n".getBytes(StandardCharsets.UTF_8));
        password.getOutputStream().close();
        assertThat(password.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String hash = Files.readString(output).strip();
        assertThat(hash).startsWith("$2a$12$");
        var decoded = org.wildfly.security.password.util.ModularCrypt.decode(hash);
        var factory = org.wildfly.security.password.PasswordFactory.getInstance("bcrypt",
                org.wildfly.security.password.WildFlyElytronPasswordProvider.getInstance());
        assertThat(factory.verify(factory.translate(decoded), "my-password".toCharArray())).isTrue();
        assertThat(BcryptUtil.class).isNotNull();
    }
}

package io.pgrepmon.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the harness chooses between local binaries and Testcontainers, and what it gives a container. */
class PgBackendTest {

    @Test
    void anExplicitChoiceWinsAndAutoAsksDockerOnlyThen() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(PgBackend.choose("testcontainers", () -> asked.incrementAndGet() > 0)).isEqualTo(PgBackend.TESTCONTAINERS);
        assertThat(PgBackend.choose("zonky", () -> asked.incrementAndGet() > 0)).isEqualTo(PgBackend.LOCAL);
        assertThat(PgBackend.choose("Debian", () -> asked.incrementAndGet() > 0)).isEqualTo(PgBackend.LOCAL);
        assertThat(asked).hasValue(0);
        assertThat(PgBackend.choose("auto", () -> true)).isEqualTo(PgBackend.TESTCONTAINERS);
        assertThat(PgBackend.choose("auto", () -> false)).isEqualTo(PgBackend.LOCAL);
        assertThat(PgBackend.choose("", () -> false)).isEqualTo(PgBackend.LOCAL);
        assertThatThrownBy(() -> PgBackend.choose("docker", () -> true)).hasMessageContaining("-Dpg.binaries=docker")
                .hasMessageContaining("testcontainers");
    }

    @Test
    void dockerCountsAsConfiguredByItsVariableItsSocketOrTestcontainersOwnFile(@TempDir Path home) throws IOException {
        // /var/run/docker.sock is this machine's: the rest is decided by the variables and the home given.
        boolean systemSocket = Files.exists(Path.of("/var/run/docker.sock"));
        assertThat(PgBackend.dockerConfigured(Map.of(), home)).isEqualTo(systemSocket);
        assertThat(PgBackend.dockerConfigured(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), home)).isTrue();
        Path runtime = Files.createDirectories(home.resolve("run"));
        assertThat(PgBackend.dockerConfigured(Map.of("XDG_RUNTIME_DIR", runtime.toString()), home)).isEqualTo(systemSocket);
        Files.createFile(runtime.resolve("docker.sock"));
        assertThat(PgBackend.dockerConfigured(Map.of("XDG_RUNTIME_DIR", runtime.toString()), home)).isTrue();
        Path other = Files.createDirectories(home.resolve("other"));
        Files.writeString(other.resolve(".testcontainers.properties"), "docker.host=tcp://127.0.0.1:2375\n");
        assertThat(PgBackend.dockerConfigured(Map.of(), other)).isTrue();
    }

    @Test
    void onlyAnEngineOnThisMachinePublishesPortsTheScenariosReach() {
        assertThat(PgBackend.onThisMachine("localhost")).isTrue();
        assertThat(PgBackend.onThisMachine("127.0.0.1")).isTrue();
        assertThat(PgBackend.onThisMachine("::1")).isTrue();
        assertThat(PgBackend.onThisMachine("10.213.77.2")).isFalse();
        assertThat(PgBackend.onThisMachine("docker.pgrepmon.invalid")).isFalse();
    }

    @Test
    void aContainerGetsTheSettingsTheReplicationRuleAndTheHostFilesTheSettingsName(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("server's.key"), "KEY");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "logical");
        settings.put("wal_retrieve_retry_interval", "'1s'");
        settings.put("ssl_key_file", "'" + key.toString().replace("'", "''") + "'");
        settings.put("ssl_ca_file", "'/no/such/file'");
        Map<String, String> files = ContainerServer.hostFiles(settings);
        assertThat(files).containsExactly(Map.entry("ssl_key_file", key.toString()));

        // The script runs as the image's entrypoint would run it, on a data directory of its own.
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("postgresql.conf"), "# initdb's\n");
        Files.writeString(data.resolve("pg_hba.conf"), "host all all all scram-sha-256\n");
        String script = ContainerServer.initScript(settings, Map.of());
        Path file = Files.writeString(dir.resolve("pgrepmon.sh"), script);
        ProcessBuilder sh = new ProcessBuilder("sh", file.toString()).redirectErrorStream(true);
        sh.environment().put("PGDATA", data.toString());
        Process process = sh.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        assertThat(Files.readString(data.resolve("postgresql.conf"))).isEqualTo("""
                # initdb's
                # pgrepmon test harness
                wal_level = logical
                wal_retrieve_retry_interval = '1s'
                ssl_key_file = '%s'
                ssl_ca_file = '/no/such/file'
                """.formatted(key.toString().replace("'", "''")));
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).endsWith("host replication all all scram-sha-256\n");

        // A host file goes to the same path, the postgres user's with mode 600, even with a quote in its name.
        String withFiles = ContainerServer.initScript(settings, files);
        assertThat(withFiles).contains("cp /pgrepmon-files/0 '" + key.toString().replace("'", "'\"'\"'") + "'\n")
                .contains("chmod 600 '" + key.toString().replace("'", "'\"'\"'") + "'\n");
        Process syntax = new ProcessBuilder("sh", "-n", Files.writeString(dir.resolve("check.sh"), withFiles).toString())
                .redirectErrorStream(true).start();
        assertThat(syntax.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(syntax.exitValue()).as(new String(syntax.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void eachContainerHasItsOwnAliasOnTheNetwork() {
        String first = ContainerServer.alias("Source_16");
        String second = ContainerServer.alias("Source_16");
        assertThat(first).matches("source-16-\\d+");
        assertThat(second).isNotEqualTo(first);
    }
}

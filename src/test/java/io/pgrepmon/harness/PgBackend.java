package io.pgrepmon.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How the harness starts clusters, from {@code -Dpg.binaries}: {@code testcontainers} runs each in a container of
 * the official {@code postgres:<major>} image; {@code debian}, {@code zonky} or {@code local} runs local binaries
 * ({@link PgBinaries}); {@code auto} (the default) takes containers when a Docker engine on this machine answers, and
 * local binaries otherwise. The scenarios that run the repository's own scripts (the demo, the walkthrough, the fleet benchmark)
 * start local clusters by design and keep doing so.
 */
public enum PgBackend {
    LOCAL, TESTCONTAINERS;

    private static volatile PgBackend chosen;

    /** The backend of this test run, decided once. */
    public static PgBackend current() {
        PgBackend c = chosen;
        if (c == null) {
            synchronized (PgBackend.class) {
                if (chosen == null) {
                    chosen = choose(System.getProperty("pg.binaries", "auto"), PgBackend::dockerAnswers);
                }
                c = chosen;
            }
        }
        return c;
    }

    static PgBackend choose(String property, BooleanSupplier dockerAnswers) {
        return switch (property.strip().toLowerCase(Locale.ROOT)) {
            case "testcontainers" -> TESTCONTAINERS;
            case "debian", "zonky", "local" -> LOCAL;
            case "", "auto" -> dockerAnswers.getAsBoolean() ? TESTCONTAINERS : LOCAL;
            default -> throw new IllegalArgumentException("-Dpg.binaries=" + property
                    + " is not known: use auto, testcontainers, debian, zonky or local");
        };
    }

    /**
     * Whether a Docker engine answers. Testcontainers is asked only when a Docker endpoint is configured or its
     * socket exists, so a machine without Docker (CI here) neither loads it nor waits on its discovery.
     */
    static boolean dockerAnswers() {
        return dockerConfigured(System.getenv(), Path.of(System.getProperty("user.home", "/")))
                && org.testcontainers.DockerClientFactory.instance().isDockerAvailable()
                && onThisMachine(org.testcontainers.DockerClientFactory.instance().dockerHostIpAddress());
    }

    /**
     * Whether a Docker engine's published ports are on this machine's loopback, where the scenarios connect (a
     * remote engine, such as Docker-in-Docker at {@code tcp://docker:2375}, publishes them on its own host).
     */
    static boolean onThisMachine(String engineHost) {
        try {
            return java.net.InetAddress.getByName(engineHost).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean dockerConfigured(Map<String, String> env, Path home) {
        if (env.containsKey("DOCKER_HOST") || Files.exists(home.resolve(".testcontainers.properties"))) {
            return true;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        return Files.exists(Path.of("/var/run/docker.sock")) || Files.exists(home.resolve(".docker/run/docker.sock"))
                || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
    }
}

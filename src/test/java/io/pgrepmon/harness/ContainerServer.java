package io.pgrepmon.harness;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A cluster in a container of the official {@code postgres:<major>} image (another with {@code -Dpg.image=}, a
 * format with {@code %d} for the major), started by Testcontainers' PostgreSQL module. The same settings as a local
 * cluster go into its postgresql.conf, and host files they name (TLS certificates and keys) are copied in at the same
 * path. Its host port is fixed when it is created, so a stop and start keep the address the monitor was given, as a
 * local cluster does. All clusters of a run share one Docker network, where each is reached by its own alias; a
 * standby is another container, copied from its primary with pg_basebackup.
 */
final class ContainerServer implements PgServer {

    private static final int PG_PORT = 5432;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Network network;

    private final String name;
    private final String alias;
    private final String image;
    private final int hostPort;
    private final GenericContainer<?> container;
    private final String password;

    private ContainerServer(String name, String alias, String image, int hostPort, GenericContainer<?> container, String password) {
        this.name = name;
        this.alias = alias;
        this.image = image;
        this.hostPort = hostPort;
        this.container = container;
        this.password = password;
    }

    static ContainerServer start(String name, int major, String password, Map<String, String> settings) {
        String engine = DockerClientFactory.instance().dockerHostIpAddress();
        if (!PgBackend.onThisMachine(engine)) {
            throw new IllegalStateException("-Dpg.binaries=testcontainers needs a Docker engine on this machine: the one at "
                    + engine + " publishes its ports there, and the scenarios reach their clusters on loopback"
                    + " (TLS certificates for localhost, the fault proxy, the packaged app's configuration)."
                    + " Use a local engine, or -Dpg.binaries=local");
        }
        String image = System.getProperty("pg.image", "postgres:%d").formatted(major);
        String alias = alias(name);
        int hostPort = PgCluster.freePort();
        Map<String, String> files = hostFiles(settings);
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withUsername(PgCluster.SUPERUSER)
                .withPassword(password)
                .withDatabaseName("postgres")
                .withEnv("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
                // The module's default command sets fsync on the command line, where no test setting could change it.
                .withCommand("postgres")
                .withNetwork(network())
                .withNetworkAliases(alias)
                .withCopyToContainer(Transferable.of(initScript(settings, files), 0755), "/docker-entrypoint-initdb.d/pgrepmon.sh");
        int n = 0;
        for (String hostPath : files.values()) {
            container.withCopyToContainer(Transferable.of(read(Path.of(hostPath)), 0644), staged(n++));
        }
        container.setPortBindings(List.of(hostPort + ":" + PG_PORT));
        container.start();
        return new ContainerServer(name, alias, image, hostPort, container, password);
    }

    /** A network alias for a cluster: its name, made unique in the run. */
    static String alias(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-" + SEQUENCE.incrementAndGet();
    }

    private static synchronized Network network() {
        if (network == null) {
            network = Network.newNetwork();
        }
        return network;
    }

    /** The settings' values that name an existing host file (unquoted), by setting. */
    static Map<String, String> hostFiles(Map<String, String> settings) {
        Map<String, String> files = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            String path = unquote(value);
            if (path.startsWith("/") && Files.isRegularFile(Path.of(path))) {
                files.put(key, path);
            }
        });
        return files;
    }

    private static String staged(int n) {
        return "/pgrepmon-files/" + n;
    }

    /**
     * The script the image's entrypoint runs once after initdb, as the postgres user: the settings appended to
     * postgresql.conf (so ALTER SYSTEM still overrides them, as on a local cluster), physical replication allowed
     * for a standby, and each host file the settings name put in place from where it was staged, owned by postgres
     * with mode 600, as the server wants its key.
     */
    static String initScript(Map<String, String> settings, Map<String, String> files) {
        StringBuilder script = new StringBuilder("#!/bin/sh\nset -e\ncat >> \"$PGDATA/postgresql.conf\" <<'PGREPMON'\n# pgrepmon test harness\n");
        settings.forEach((k, v) -> script.append(k).append(" = ").append(v).append('\n'));
        script.append("PGREPMON\necho 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"\n");
        int n = 0;
        for (String path : files.values()) {
            String target = shellQuote(path);
            script.append("mkdir -p \"$(dirname ").append(target).append(")\"\ncp ").append(staged(n++)).append(' ')
                    .append(target).append("\nchmod 600 ").append(target).append('\n');
        }
        return script.toString();
    }

    private static String unquote(String value) {
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("'") && v.endsWith("'") ? v.substring(1, v.length() - 1).replace("''", "'") : v;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return hostPort;
    }

    @Override
    public String peerHost() {
        return alias;
    }

    @Override
    public int peerPort() {
        return PG_PORT;
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        await(name + " accepting connections again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(this::accepts);
    }

    private boolean accepts() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PgCluster.SUPERUSER);
        properties.setProperty("password", password);
        try (Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://" + host() + ":" + hostPort + "/postgres", properties)) {
            return c.isValid(5);
        }
    }

    /** PostgreSQL's own shutdown signals, sent to the server, which is the container's first process. */
    @Override
    public void stop(String mode) {
        String signal = switch (mode) {
            case "smart" -> "SIGTERM";
            case "fast" -> "SIGINT";
            case "immediate" -> "SIGQUIT";
            default -> throw new IllegalArgumentException("stop mode " + mode + ": use smart, fast or immediate");
        };
        docker().killContainerCmd(container.getContainerId()).withSignal(signal).exec();
        await(name + " stopped").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> !running());
    }

    @Override
    public boolean running() {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning());
    }

    @Override
    public String log() {
        return container.getLogs();
    }

    /**
     * Connections from the test machine reach a container from the Docker network's gateway, not from loopback, so
     * a rule for 127.0.0.1/32 (the test machine, on a local cluster) is widened to every address.
     */
    @Override
    public void addHbaRule(String rule) {
        String widened = rule.replace("127.0.0.1/32", "0.0.0.0/0");
        exec("sh", "-c", "{ printf '%s\\n' \"$1\"; cat \"$PGDATA/pg_hba.conf\"; } > /tmp/pg_hba.new"
                + " && cat /tmp/pg_hba.new > \"$PGDATA/pg_hba.conf\"", "sh", widened);
        exec("psql", "-U", PgCluster.SUPERUSER, "-d", "postgres", "-c", "SELECT pg_reload_conf()");
    }

    /** With pg_basebackup from this server into a new container (replication slots are not copied). */
    @Override
    public PgServer standby(String standbyName, String standbyPassword) {
        String standbyAlias = alias(standbyName);
        int standbyPort = PgCluster.freePort();
        GenericContainer<?> standby = new GenericContainer<>(DockerImageName.parse(image))
                .withEnv("PGPASSWORD", standbyPassword)
                .withNetwork(network())
                .withNetworkAliases(standbyAlias)
                .withExposedPorts(PG_PORT)
                // The entrypoint runs any command but "postgres" as given, here as root: the data directory is made
                // the postgres user's, the copy is made by that user, and the entrypoint then finds it filled and
                // starts the server on it.
                // The copy is made on the first start only: a start after a stop runs this command again.
                .withCommand("sh", "-c", "set -e; [ -s \"$PGDATA/PG_VERSION\" ] || { mkdir -p \"$PGDATA\";"
                        + " chown postgres \"$PGDATA\"; chmod 700 \"$PGDATA\"; gosu postgres pg_basebackup -h " + alias
                        + " -p " + PG_PORT + " -U " + PgCluster.SUPERUSER + " -D \"$PGDATA\" -R -X stream -c fast; };"
                        + " exec docker-entrypoint.sh postgres")
                .waitingFor(Wait.forSuccessfulCommand("pg_isready -h 127.0.0.1 -p " + PG_PORT).withStartupTimeout(Duration.ofSeconds(120)));
        standby.setPortBindings(List.of(standbyPort + ":" + PG_PORT));
        standby.start();
        return new ContainerServer(standbyName, standbyAlias, image, standbyPort, standby, standbyPassword);
    }

    private void exec(String... command) {
        try {
            Container.ExecResult result = container.execInContainer(command);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(name + ": " + String.join(" ", command) + " exited " + result.getExitCode()
                        + "\n" + result.getStdout() + result.getStderr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public void close() {
        container.stop();
    }
}

package io.pgrepmon.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster for tests: initdb into a temp directory, started with pg_ctl on a free loopback
 * port, password authentication (scram) for user postgres. When the tests run as root (CI does) every server
 * command runs as the postgres user through runuser, since PostgreSQL refuses to run as root.
 */
public final class PgCluster implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final String name;
    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final String password;

    private PgCluster(String name, Path bin, Path base, int port, String password) {
        this.name = name;
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.password = password;
    }

    /** initdb and start a cluster with the given postgresql.conf settings (added to sensible test defaults). */
    public static PgCluster start(String name, int major, Map<String, String> settings) {
        Path bin = PgBinaries.forMajor(major);
        try {
            Path base = Files.createTempDirectory(Path.of("/tmp"), "pgrepmon-" + name + "-");
            base.toFile().setReadable(true, false);
            base.toFile().setExecutable(true, false);
            String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
            Path pwfile = base.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            chownToPostgres(base);
            PgCluster cluster = new PgCluster(name, bin, base, freePort(), password);
            cluster.run(List.of(bin.resolve("initdb").toString(), "-D", cluster.data.toString(), "-U", SUPERUSER,
                    "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"), 120);
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("port", Integer.toString(cluster.port));
            conf.put("listen_addresses", "'127.0.0.1'");
            conf.put("unix_socket_directories", "''");
            conf.put("wal_level", "logical");
            conf.put("max_wal_senders", "10");
            conf.put("max_replication_slots", "10");
            conf.put("max_connections", "40");
            conf.put("shared_buffers", "32MB");
            conf.put("fsync", "off");
            conf.put("full_page_writes", "off");
            conf.put("synchronous_commit", "off");
            // Fast feedback so slot positions follow the data within a second, not the 10 s default.
            conf.put("wal_receiver_status_interval", "1s");
            conf.put("wal_sender_timeout", "10s");
            conf.putAll(settings);
            StringBuilder text = new StringBuilder("\n# pgrepmon test harness\n");
            conf.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
            Files.writeString(cluster.data.resolve("postgresql.conf"), text.toString(), java.nio.file.StandardOpenOption.APPEND);
            cluster.startServer();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A streaming standby of {@code primary}, made the way pg_basebackup would but without it (the binary jars
     * ship no pg_basebackup): the primary is stopped cleanly, its data directory copied without its replication
     * slots, and the copy started in recovery with primary_conninfo. The primary is started again.
     */
    public static PgCluster standbyOf(PgCluster primary, String name) {
        try {
            Path base = Files.createTempDirectory(Path.of("/tmp"), "pgrepmon-" + name + "-");
            base.toFile().setReadable(true, false);
            base.toFile().setExecutable(true, false);
            chownToPostgres(base);
            PgCluster standby = new PgCluster(name, primary.bin, base, freePort(), primary.password);
            primary.stopServer("fast");
            try {
                standby.run(List.of("cp", "-a", primary.data.toString(), standby.data.toString()), 120);
            } finally {
                primary.startServer();
            }
            standby.run(List.of("find", standby.data.resolve("pg_replslot").toString(), "-mindepth", "1", "-delete"), 60);
            Files.deleteIfExists(standby.data.resolve("postmaster.pid"));
            String conf = "\n# standby\nport = " + standby.port + "\nprimary_conninfo = 'host=127.0.0.1 port=" + primary.port
                    + " user=" + SUPERUSER + " password=" + primary.password + "'\n";
            Files.writeString(standby.data.resolve("postgresql.conf"), conf, java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(standby.data.resolve("standby.signal"), "");
            chownToPostgres(standby.data);
            standby.startServer();
            return standby;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The server's log so far. */
    public String serverLog() {
        try {
            Path log = base.resolve("server.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts a rule first in pg_hba.conf (so it wins) and reloads the server. */
    public void addHbaRule(String rule) {
        try {
            Path hba = data.resolve("pg_hba.conf");
            Files.writeString(hba, rule + "\n" + Files.readString(hba));
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "reload"), 30);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives a file to the postgres user (mode 600 for a key), as the server requires for its TLS files. */
    public static void ownByPostgres(Path file, boolean key) {
        try {
            chownToPostgres(file);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(key ? "rw-------" : "rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** libpq connection string, e.g. for CREATE SUBSCRIPTION. */
    public String conninfo(String database) {
        return "host=127.0.0.1 port=" + port + " dbname=" + database + " user=" + SUPERUSER + " password=" + password;
    }

    public Connection connect(String database) throws SQLException {
        return connectAs(database, SUPERUSER, password);
    }

    /**
     * Opens a JDBC connection with the driver class directly: DriverManager only offers drivers visible from the
     * caller's class loader, which Quarkus replaces between test profiles.
     */
    public Connection connectAs(String database, String user, String userPassword) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", userPassword);
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    /** Runs statements one by one in autocommit (CREATE SUBSCRIPTION refuses a transaction block). */
    public void execute(String database, String... statements) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, or null. */
    public Object queryValue(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    public void startServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("server.log").toString(),
                "-w", "-t", "60", "start"), 90);
    }

    /** Stops the server: {@code fast} lets sessions end cleanly, {@code immediate} is a crash. */
    public void stopServer(String mode) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"), 90);
    }

    public boolean running() {
        return Files.exists(data.resolve("postmaster.pid"));
    }

    @Override
    public void close() {
        try {
            if (running()) {
                stopServer("immediate");
            }
        } finally {
            deleteTree(base);
        }
    }

    private void run(List<String> command, int timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        try {
            Path out = Files.createTempFile("pgrepmon-cmd-", ".out");
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + ": timed out: " + String.join(" ", command));
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            if (process.exitValue() != 0) {
                String log = Files.exists(base.resolve("server.log")) ? Files.readString(base.resolve("server.log")) : "";
                throw new IllegalStateException(name + ": " + String.join(" ", command) + " exited " + process.exitValue()
                        + "\n" + output + "\n--- server.log ---\n" + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path path) throws IOException {
        if (!runningAsRoot()) {
            return;
        }
        try {
            Process p = new ProcessBuilder("chown", "-R", SUPERUSER + ":", path.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("chown " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}

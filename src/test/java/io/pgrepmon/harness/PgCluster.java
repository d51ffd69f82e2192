package io.pgrepmon.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL cluster for tests, password authentication (scram) for user postgres, started from local
 * binaries or in a container as {@link PgBackend} decides; the scenarios see no difference.
 */
public final class PgCluster implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final String name;
    private final String password;
    private final PgServer server;

    private PgCluster(String name, String password, PgServer server) {
        this.name = name;
        this.password = password;
        this.server = server;
    }

    /** Starts a cluster with the given postgresql.conf settings (added to sensible test defaults). */
    public static PgCluster start(String name, int major, Map<String, String> settings) {
        String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Map<String, String> conf = new LinkedHashMap<>();
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
        PgServer server = PgBackend.current() == PgBackend.TESTCONTAINERS
                ? ContainerServer.start(name, major, password, conf)
                : LocalServer.start(name, major, password, conf);
        return new PgCluster(name, password, server);
    }

    /** A streaming standby of {@code primary}, without its replication slots. */
    public static PgCluster standbyOf(PgCluster primary, String name) {
        return new PgCluster(name, primary.password, primary.server.standby(name, primary.password));
    }

    public String name() {
        return name;
    }

    /** The server's log so far. */
    public String serverLog() {
        return server.log();
    }

    /** Puts a rule first in pg_hba.conf (so it wins) and reloads the server. */
    public void addHbaRule(String rule) {
        server.addHbaRule(rule);
    }

    /** Gives a file to the postgres user (mode 600 for a key), as the server requires for its TLS files. */
    public static void ownByPostgres(java.nio.file.Path file, boolean key) {
        try {
            // A container copies the file in and gives it to its own postgres user; the host may have none.
            if (PgBackend.current() == PgBackend.LOCAL) {
                LocalServer.chownToPostgres(file);
            }
            java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(key ? "rw-------" : "rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String password() {
        return password;
    }

    /** libpq connection string another cluster of the test reaches this one with, e.g. for CREATE SUBSCRIPTION. */
    public String conninfo(String database) {
        return "host=" + server.peerHost() + " port=" + server.peerPort() + " dbname=" + database + " user=" + SUPERUSER
                + " password=" + password;
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
        return new org.postgresql.Driver().connect("jdbc:postgresql://" + host() + ":" + port() + "/" + database, properties);
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
        server.start();
    }

    /** Stops the server: {@code fast} lets sessions end cleanly, {@code immediate} is a crash. */
    public void stopServer(String mode) {
        server.stop(mode);
    }

    public boolean running() {
        return server.running();
    }

    @Override
    public void close() {
        server.close();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

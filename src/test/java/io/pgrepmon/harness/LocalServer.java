package io.pgrepmon.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster from local binaries: initdb into a temp directory, started with pg_ctl on a free loopback port. When the
 * tests run as root (CI does) every server command runs as the postgres user through runuser, since PostgreSQL
 * refuses to run as root.
 */
final class LocalServer implements PgServer {

    private final String name;
    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;

    private LocalServer(String name, Path bin, Path base, int port) {
        this.name = name;
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
    }

    static LocalServer start(String name, int major, String password, Map<String, String> settings) {
        Path bin = PgBinaries.forMajor(major);
        try {
            Path base = newBase(name);
            Path pwfile = base.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            chownToPostgres(base);
            LocalServer server = new LocalServer(name, bin, base, PgCluster.freePort());
            try {
                server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-U", PgCluster.SUPERUSER,
                        "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"), 120);
            } finally {
                Files.deleteIfExists(pwfile);
            }
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("port", Integer.toString(server.port));
            conf.put("listen_addresses", "'127.0.0.1'");
            conf.put("unix_socket_directories", "''");
            conf.putAll(settings);
            StringBuilder text = new StringBuilder("\n# pgrepmon test harness\n");
            conf.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
            Files.writeString(server.data.resolve("postgresql.conf"), text.toString(), StandardOpenOption.APPEND);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Made the way pg_basebackup would but without it (the binary jars ship no pg_basebackup): this server is
     * stopped cleanly, its data directory copied without its replication slots, and the copy started in recovery
     * with primary_conninfo. This server is started again.
     */
    @Override
    public PgServer standby(String standbyName, String password) {
        try {
            Path standbyBase = newBase(standbyName);
            chownToPostgres(standbyBase);
            LocalServer standby = new LocalServer(standbyName, bin, standbyBase, PgCluster.freePort());
            stop("fast");
            try {
                standby.run(List.of("cp", "-a", data.toString(), standby.data.toString()), 120);
            } finally {
                start();
            }
            standby.run(List.of("find", standby.data.resolve("pg_replslot").toString(), "-mindepth", "1", "-delete"), 60);
            Files.deleteIfExists(standby.data.resolve("postmaster.pid"));
            String conf = "\n# standby\nport = " + standby.port + "\nprimary_conninfo = 'host=127.0.0.1 port=" + port
                    + " user=" + PgCluster.SUPERUSER + " password=" + password + "'\n";
            Files.writeString(standby.data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            Files.writeString(standby.data.resolve("standby.signal"), "");
            chownToPostgres(standby.data);
            standby.start();
            return standby;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path newBase(String name) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "pgrepmon-" + name + "-");
        base.toFile().setReadable(true, false);
        base.toFile().setExecutable(true, false);
        return base;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String peerHost() {
        return host();
    }

    @Override
    public int peerPort() {
        return port;
    }

    @Override
    public String log() {
        try {
            Path log = base.resolve("server.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void addHbaRule(String rule) {
        try {
            Path hba = data.resolve("pg_hba.conf");
            Files.writeString(hba, rule + "\n" + Files.readString(hba));
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "reload"), 30);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("server.log").toString(),
                "-w", "-t", "60", "start"), 90);
    }

    @Override
    public void stop(String mode) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"), 90);
    }

    @Override
    public boolean running() {
        return Files.exists(data.resolve("postmaster.pid"));
    }

    @Override
    public void close() {
        try {
            if (running()) {
                stop("immediate");
            }
        } finally {
            deleteTree(base);
        }
    }

    private void run(List<String> command, int timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", PgCluster.SUPERUSER, "--"));
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
                throw new IllegalStateException(name + ": " + String.join(" ", command) + " exited " + process.exitValue()
                        + "\n" + output + "\n--- server.log ---\n" + log());
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

    static void chownToPostgres(Path path) throws IOException {
        if (!runningAsRoot()) {
            return;
        }
        try {
            Process p = new ProcessBuilder("chown", "-R", PgCluster.SUPERUSER + ":", path.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("chown " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
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

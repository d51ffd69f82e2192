package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.db.DatabaseClient;
import io.pgrepmon.model.ProbeReport;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Reads one database: the server first, then every registered probe that applies, under one deadline.
 * Never fails: an unreachable or slow database becomes a reading with its error.
 */
public final class DatabaseReader {

    private final Duration deadline;

    /** @param deadline how long one database may take to answer all its probes (monitor.query-timeout) */
    public DatabaseReader(Duration deadline) {
        this.deadline = deadline;
    }

    public Uni<DatabaseReading> read(DatabaseClient client) {
        DatabaseSettings db = client.settings();
        Instant polledAt = Instant.now();
        long t0 = System.nanoTime();
        return client.pool().withConnection(connection -> ServerInfoProbe.read(connection)
                        .flatMap(server -> readProbes(connection, db, server, polledAt, t0)))
                .ifNoItem().after(deadline).failWith(() -> new TimeoutException(
                        "no answer within " + deadline.toMillis() + " ms (monitor.query-timeout)"))
                .onFailure(TimeoutException.class).invoke(client::reset)
                .onFailure().recoverWithItem(e -> DatabaseReading.unreachable(db, polledAt, millisSince(t0),
                        db.redact(client.explain(describe(e)))));
    }

    private record Run(Probe<?> probe, List<?> rows, ProbeReport report) {
    }

    private Uni<DatabaseReading> readProbes(SqlConnection connection, DatabaseSettings db, ServerInfo server,
                                            Instant polledAt, long t0) {
        // The queries are pipelined on the one connection: each probe runs and fails on its own.
        List<Uni<Run>> runs = Probes.ALL.stream().filter(p -> p.appliesTo(db, server))
                .map(p -> run(p, connection, db, server)).toList();
        Uni<List<Run>> all = runs.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(runs).andFailFast();
        return all.map(done -> {
            List<ProbeReport> reports = new ArrayList<>(done.size());
            Map<Class<?>, List<?>> rows = new LinkedHashMap<>();
            for (Run run : done) {
                reports.add(run.report());
                if (run.rows() != null) {
                    rows.put(run.probe().getClass(), run.rows());
                }
            }
            return new DatabaseReading(db, polledAt, millisSince(t0), server, null, reports, rows);
        });
    }

    /** Runs one probe; its failure is reported and leaves it without rows, the others go on. */
    private static Uni<Run> run(Probe<?> probe, SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        long t0 = System.nanoTime();
        return probe.read(connection, db, server)
                .map(rows -> new Run(probe, rows, new ProbeReport(probe.name(), millisSince(t0), null)))
                .onFailure().recoverWithItem(e -> new Run(probe, null,
                        new ProbeReport(probe.name(), millisSince(t0), db.redact(describeProbeFailure(e)))));
    }

    /** A missing privilege is said as such, with the grant that fixes it, instead of a bare SQL error. */
    static String describeProbeFailure(Throwable e) {
        if (e instanceof PgException pg && "42501".equals(pg.getSqlState())) {
            return "missing privilege: " + describe(e)
                    + " (grant pg_monitor to the monitor's role, or SELECT on the object named)";
        }
        return describe(e);
    }

    /**
     * The message and its causes' messages: a driver's wrapper often says little ("Connection failed") and its
     * cause the rest. An unknown host, whose message is only the name, is said in words.
     */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t) && seen.size() <= 5; t = t.getCause()) {
            String message = t instanceof java.net.UnknownHostException
                    ? "unknown host " + t.getMessage() + " (the name does not resolve: check monitor.databases[].host and DNS)"
                    : t.getMessage();
            if (message == null || message.isBlank() || text.indexOf(message) >= 0) {
                continue;
            }
            // A wrapper often repeats its cause's message after the class name: keep only new text.
            text.append(text.isEmpty() ? "" : ": ").append(message.replaceFirst("^[\\w.$]+(Exception|Error): ", ""));
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.db.DatabaseClient;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.ProbeReport;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.SourceActivity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads one database under one deadline: the server and every registered probe that applies. Never fails: an
 * unreachable or slow database becomes a reading with its error.
 *
 * <p>One round trip per tick: the statements are pipelined on the one connection, with the server's version and
 * recovery state from the last tick choosing them (read again first when they are not known, and everything read
 * again when this tick's differ). The catalog probes ({@link Probe.Cadence#CATALOG}) are read in a second round
 * trip only when the tick's catalog fingerprint differs from the one they were read after, or they are
 * {@code monitor.catalog-interval} old; otherwise their last answer stands, with its time in the reading.
 */
public final class DatabaseReader {

    private final Duration deadline;
    private final Duration catalogInterval;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * What the last ticks learned of a database.
     *
     * @param hashed   the last fingerprint whose table definitions were hashed, and {@code hashedAt} when
     * @param catalog  the catalog probes' last runs
     */
    private record Known(ServerInfo server, Fingerprint hashed, Instant hashedAt, CatalogRead catalog) {
    }

    /** The catalog probes' runs, and the fingerprint of the tick they were read in (read just before them). */
    private record CatalogRead(Fingerprint after, Instant readAt, List<Run> runs) {

        boolean stillHolds(Fingerprint now, Instant at, Duration maxAge) {
            return now != null && after != null && now.tables().equals(after.tables())
                    && now.publications().equals(after.publications())
                    && at.isBefore(readAt.plus(maxAge)) && runs.stream().allMatch(Run::complete);
        }
    }

    /**
     * @param deadline        how long one database may take to answer all its probes (monitor.query-timeout)
     * @param catalogInterval the oldest the catalog probes' answer and the table definitions' hash may be
     */
    public DatabaseReader(Duration deadline, Duration catalogInterval) {
        this.deadline = deadline;
        this.catalogInterval = catalogInterval;
    }

    public Uni<DatabaseReading> read(DatabaseClient client) {
        return read(client, false);
    }

    /** @param hashTables hash the table definitions this tick whatever the catalog counters say */
    public Uni<DatabaseReading> read(DatabaseClient client, boolean hashTables) {
        DatabaseSettings db = client.settings();
        Instant askedAt = Instant.now();
        long t0 = System.nanoTime();
        return client.withConnection(connection -> {
                    // Taken when the work starts on the connection, which may be after the poll before it ended; the
                    // reading's millis count from then too, so polledAt + millis is when its answer came.
                    Instant polledAt = Instant.now();
                    long started = System.nanoTime();
                    Known last = known.get(db.name());
                    Uni<ServerInfo> server = last == null ? ServerInfoProbe.read(connection) : Uni.createFrom().item(last.server());
                    return server.flatMap(s -> readProbes(connection, db, s, last, hashTables, polledAt, started))
                            .onFailure().invoke(() -> known.remove(db.name()));
                }, deadline)
                .onFailure().recoverWithItem(e -> DatabaseReading.unreachable(db, askedAt, millisSince(t0),
                        db.redact(client.explain(describe(e)))));
    }

    private record Run(Probe<?> probe, List<?> rows, ProbeReport report) {

        @SuppressWarnings({"unchecked", "rawtypes"}) // the rows are this probe's own
        boolean complete() {
            return rows != null && ((Probe) probe).complete(rows);
        }
    }

    /**
     * @param assumed the server as last seen (or just read): it chooses the statements, and when this tick's
     *                answer differs in what chooses them, the database is read again with it
     */
    private Uni<DatabaseReading> readProbes(SqlConnection connection, DatabaseSettings db, ServerInfo assumed, Known last,
                                            boolean hashTables, Instant polledAt, long t0) {
        Fingerprint previous = last == null ? null : last.hashed();
        Duration maxAge = maxAge(db);
        CatalogRead cached = last == null ? null : last.catalog();
        // The catalog rows are labelled with a hash taken in the tick that read them, never a carried one.
        boolean catalogDue = cached == null || cached.after() == null || !polledAt.isBefore(cached.readAt().plus(maxAge));
        boolean hash = hashTables || previous == null || catalogDue || !polledAt.isBefore(last.hashedAt().plus(maxAge));
        List<Uni<Run>> runs = new ArrayList<>();
        Uni<ServerInfo> server = ServerInfoProbe.read(connection);
        Probes.ALL.stream().filter(p -> p.cadence() == Probe.Cadence.TICK && p.appliesTo(db, assumed))
                .forEach(p -> runs.add(p instanceof FingerprintProbe
                        ? run(p, () -> FingerprintProbe.read(connection, assumed, previous, hash, false).map(List::of), db)
                        : run(p, () -> p.read(connection, db, assumed), db)));
        return Uni.combine().all().unis(server, Uni.join().all(runs).andFailFast()).asTuple().flatMap(done -> {
            ServerInfo now = done.getItem1();
            if (last != null && (now.versionNum() != assumed.versionNum() || now.inRecovery() != assumed.inRecovery())) {
                known.remove(db.name());
                return readProbes(connection, db, now, null, true, polledAt, t0);
            }
            List<Run> tick = withRowChanges(done.getItem2());
            Fingerprint fingerprint = tick.stream().filter(r -> r.probe() instanceof FingerprintProbe && r.rows() != null)
                    .map(r -> (Fingerprint) r.rows().get(0)).findFirst().orElse(null);
            boolean hashed = fingerprint != null && fingerprint.tablesRead();
            CatalogRead catalog = last == null ? null : last.catalog();
            Uni<CatalogRead> catalogRead = catalog != null && catalog.stillHolds(fingerprint, polledAt, maxAge)
                    ? Uni.createFrom().item(catalog)
                    : readCatalog(connection, db, now).map(r -> new CatalogRead(hashed ? fingerprint : null, Instant.now(), r));
            return catalogRead.map(read -> {
                known.put(db.name(), new Known(now, hashed ? fingerprint : previous,
                        hashed ? polledAt : last == null ? null : last.hashedAt(), read));
                List<Run> all = new ArrayList<>(tick);
                all.addAll(read.runs());
                return reading(db, now, polledAt, t0, all, read.runs().isEmpty() ? null : read.readAt());
            });
        });
    }

    /**
     * The tick's fingerprint takes its row changes from the activity statement of the same round trip (the same
     * sum, read once); without that answer it has none, and is reported failed rather than compared on a guess.
     */
    private static List<Run> withRowChanges(List<Run> tick) {
        Long rows = tick.stream().filter(r -> r.probe() instanceof ActivityProbe && r.rows() != null && !r.rows().isEmpty())
                .map(r -> ((SourceActivity) r.rows().get(0)).rowChanges()).findFirst().orElse(null);
        return tick.stream().map(r -> {
            if (!(r.probe() instanceof FingerprintProbe) || r.rows() == null) {
                return r;
            }
            if (rows == null) {
                return new Run(r.probe(), null, new ProbeReport(r.report().probe(), r.report().millis(),
                        "its row changes come from the activity probe, which did not answer"));
            }
            return new Run(r.probe(), List.of(((Fingerprint) r.rows().get(0)).withRowChanges(rows)), r.report());
        }).toList();
    }

    /**
     * How old this database's catalog answer and table hash may grow: between half the catalog interval and all of
     * it, by its name, so that databases started together do not all read their catalogs in the same tick.
     */
    Duration maxAge(DatabaseSettings db) {
        long interval = catalogInterval.toMillis();
        return Duration.ofMillis(interval - Math.floorMod(db.name().hashCode(), Math.max(1, interval / 2)));
    }

    private Uni<List<Run>> readCatalog(SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        List<Uni<Run>> runs = Probes.ALL.stream().filter(p -> p.cadence() == Probe.Cadence.CATALOG && p.appliesTo(db, server))
                .map(p -> run(p, () -> p.read(connection, db, server), db)).toList();
        return runs.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(runs).andFailFast();
    }

    private static DatabaseReading reading(DatabaseSettings db, ServerInfo server, Instant polledAt, long t0, List<Run> done,
                                           Instant catalogReadAt) {
        // Reports in the order the probes are registered, whichever round trip read them.
        List<Run> ordered = new ArrayList<>(done);
        ordered.sort(java.util.Comparator.comparingInt(r -> Probes.ALL.indexOf(r.probe())));
        List<ProbeReport> reports = new ArrayList<>(ordered.size());
        Map<Class<?>, List<?>> rows = new LinkedHashMap<>();
        for (Run run : ordered) {
            reports.add(run.report());
            if (run.rows() != null) {
                rows.put(run.probe().getClass(), run.rows());
            }
        }
        return new DatabaseReading(db, polledAt, millisSince(t0), server, null, reports, rows, catalogReadAt);
    }

    /** Runs one probe; its failure is reported and leaves it without rows, the others go on. */
    private static Uni<Run> run(Probe<?> probe, java.util.function.Supplier<Uni<? extends List<?>>> read, DatabaseSettings db) {
        long t0 = System.nanoTime();
        return Uni.createFrom().deferred(read)
                .map(rows -> new Run(probe, (List<?>) rows, new ProbeReport(probe.name(), millisSince(t0), null)))
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

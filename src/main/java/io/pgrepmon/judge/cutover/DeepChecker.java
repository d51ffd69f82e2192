package io.pgrepmon.judge.cutover;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClient;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.ContentProgress;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.SequenceReport;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.TableContent;
import io.pgrepmon.probe.FingerprintProbe;
import io.pgrepmon.probe.HeartbeatProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The cutover checks that cost more than a catalog read: sequences, exact row counts and column comparison of the
 * subscribed tables. They run on their own connections (one per side, closed after), with their own statement
 * timeout, a bound on the tables counted and on their size, on request or on a slow schedule; never on the poll's
 * connection, so the live view is never delayed by them. They read only what the monitor's role may read and say
 * what they could not.
 */
@ApplicationScoped
public class DeepChecker {

    private final MonitorSettings.Cutover config;
    private final MonitorSettings.Poll poll;
    private final Settings settings;
    private final Vertx vertx;
    private final Map<String, DeepCheck> results = new ConcurrentHashMap<>();
    private final Map<String, ContentProgress> progress = new ConcurrentHashMap<>();
    /** Per pair, the subscription's {@link #path} when its latest result was taken. */
    private final Map<String, String> paths = new ConcurrentHashMap<>();

    public DeepChecker(Settings settings, Vertx vertx) {
        this.config = settings.get().cutover();
        this.poll = settings.get().poll();
        this.settings = settings;
        this.vertx = vertx;
    }

    /** The content comparison's progress per pair: the one running, or the last one. */
    public Map<String, ContentProgress> progress() {
        return Map.copyOf(progress);
    }

    /** The latest result per pair. */
    public Map<String, DeepCheck> results() {
        return Map.copyOf(results);
    }

    /** Runs the deep checks of every linked pair of a snapshot, all pairs at once. */
    public Uni<List<DeepCheck>> runAll(Snapshot snapshot) {
        List<Uni<DeepCheck>> runs = snapshot.pairs().stream()
                .filter(p -> p.sourceDatabase() != null)
                .map(p -> run(snapshot, p).invoke(result -> store(snapshot, p, result)))
                .toList();
        if (runs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(runs).andCollectFailures();
    }

    /** Runs the deep checks of one pair of a snapshot now; empty when the snapshot has no such pair. */
    public Uni<java.util.Optional<DeepCheck>> runPair(Snapshot snapshot, String name) {
        return snapshot.pairs().stream().filter(p -> p.name().equals(name) && p.sourceDatabase() != null).findFirst()
                .map(p -> run(snapshot, p).invoke(result -> store(snapshot, p, result)).map(java.util.Optional::of))
                .orElseGet(() -> Uni.createFrom().item(java.util.Optional.empty()));
    }

    private Uni<DeepCheck> run(Snapshot snapshot, PairInfo pair) {
        Instant at = Instant.now();
        DatabaseSettings source = database(pair.sourceDatabase());
        DatabaseSettings target = database(pair.targetDatabase());
        DatabaseSnapshot sourceDb = snapshot.database(pair.sourceDatabase());
        DatabaseSnapshot targetDb = snapshot.database(pair.targetDatabase());
        SubscriptionInfo sub = targetDb == null ? null : targetDb.subscriptions().stream()
                .filter(s -> s.name().equals(pair.subscription())).findFirst().orElse(null);
        if (source == null || target == null || sub == null || sourceDb == null) {
            return Uni.createFrom().item(DeepCheck.failed(pair.name(), at, "the pair's databases are not known this tick"));
        }
        List<SubscriptionTable> tables = sub.tables().stream().limit(config.maxTables()).toList();
        List<String> beyond = sub.tables().stream().skip(config.maxTables()).map(SubscriptionTable::qualifiedName).toList();
        Map<String, Long> estimates = new LinkedHashMap<>();
        sourceDb.tables().forEach(t -> estimates.put(t.reading().qualifiedName(), t.reading().estimatedRows()));
        // A partitioned table subscribed through its root holds its partitions' rows: at least their known estimates.
        sourceDb.tables().forEach(t -> t.reading().partitionOf().forEach(ancestor ->
                estimates.merge(ancestor, t.reading().estimatedRows() == null ? 0L : t.reading().estimatedRows(), Long::sum)));
        if (sourceDb.server() == null || targetDb.server() == null) {
            return Uni.createFrom().item(DeepCheck.failed(pair.name(), at, "the pair's servers were not read this tick"));
        }
        // Proofs of an earlier run rest on the subscription's path too: an apply error, a skipped transaction or a
        // restarted worker since then, and they are not carried.
        String path = path(sub);
        DeepCheck previous = path.equals(paths.get(pair.name())) ? results.get(pair.name()) : null;
        return Uni.combine().all().unis(
                        withConnection(source, DEFINITIONS, c -> read(c, sourceDb.server(), tables, estimates, false)),
                        withConnection(target, DEFINITIONS, c -> read(c, targetDb.server(), tables, estimates, true)))
                .with((s, t) -> compare(pair.name(), at, s, t, sub.tables().size(), beyond, config.maxTables()))
                .flatMap(deep -> deep.countsProblem() != null ? Uni.createFrom().item(deep)
                        : content(source, target, pair.slotName(), tables, deep, previous).map(deep::withContent))
                .onFailure().recoverWithItem(e -> DeepCheck.failed(pair.name(), at,
                        "deep check failed: " + source.redact(target.redact(String.valueOf(e.getMessage())))))
                .invoke(() -> paths.put(pair.name(), path));
    }

    /**
     * The subscription's state that content proofs rest on besides the catalogs: enabled, its apply worker, its
     * error and conflict counters. A failed apply attempt counts its rows although it rolled back, so after an
     * error (and a SKIP past it) equal row changes on both sides no longer mean that every change arrived.
     */
    static String path(SubscriptionInfo sub) {
        io.pgrepmon.model.SubscriptionStats stats = sub.stats();
        return sub.reading().enabled() + ":" + sub.reading().workerPid() + ":" + (stats == null ? "-"
                : stats.applyErrors() + ":" + stats.syncErrors() + ":" + (stats.conflicts() == null ? "-"
                : stats.conflicts().values().stream().mapToLong(v -> v == null ? 0 : v).sum()));
    }

    /**
     * The content comparison, on its own pair of connections with the same rendering settings on both. A table the
     * previous run proved equal is not hashed again when nothing has changed it since on either side (see
     * {@link #carries}), so the gate after writes stop re-hashes only the tables written since their proof.
     */
    private Uni<List<TableContent>> content(DatabaseSettings source, DatabaseSettings target, String slot,
                                            List<SubscriptionTable> subscribed, DeepCheck deep, DeepCheck previous) {
        // The monitor's own heartbeat row changes every tick: it is no application data, and never still.
        // Tables whose counts the operator declared proof enough are not hashed; the verdict names the declaration.
        List<SubscriptionTable> tables = subscribed.stream().filter(t -> !t.name().equals(HeartbeatProbe.TABLE))
                .filter(t -> config.declaredCountsSuffice(t.qualifiedName()) == null).toList();
        Map<String, Long> counted = new LinkedHashMap<>();
        deep.tables().forEach(t -> counted.put(t.table(), t.matches() ? t.sourceRows() : null));
        long rows = Math.min(config.contentMaxRows(), tables.stream().map(t -> counted.get(t.qualifiedName()))
                .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sum());
        Map<String, String> quotedNames = quotedNames(tables);
        Map<String, TableContent> proven = new LinkedHashMap<>();
        if (sameCatalogs(previous, deep)) {
            previous.content().stream().filter(c -> c.result() == TableContent.Result.MATCH && c.provenAt() != null)
                    .forEach(c -> proven.put(c.table(), c));
        }
        Instant started = Instant.now();
        java.util.concurrent.atomic.AtomicLong rowsDone = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong chunksDone = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger tablesDone = new java.util.concurrent.atomic.AtomicInteger();
        Runnable report = () -> progress.put(deep.pair(), ContentProgress.of(true, started, Instant.now(), tablesDone.get(),
                tables.size(), chunksDone.get(), rowsDone.get(), rows));
        report.run();
        return withConnection(source, ContentComparer.SESSION, s -> withConnection(target, ContentComparer.SESSION, t -> {
            ContentComparer comparer = new ContentComparer(s, t, slot, config.contentMaxRows(), config.contentChunkRows(),
                    config.contentChunkPause(), n -> {
                        rowsDone.addAndGet(n);
                        chunksDone.incrementAndGet();
                        report.run();
                    });
            return Multi.createFrom().iterable(tables)
                    .onItem().transformToUniAndConcatenate(table -> {
                        String name = table.qualifiedName();
                        String quoted = quotedNames.get(name);
                        Instant at = Instant.now();
                        return changes(t, s, quoted).flatMap(now -> carries(proven.get(name), counted.get(name), now)
                                        ? Uni.createFrom().item(() -> {
                                            rowsDone.addAndGet(counted.get(name)); // proven, so done
                                            return proven.get(name).carried(counted.get(name));
                                        })
                                        : comparer.compare(name, quoted, counted.get(name)).map(result ->
                                        result.result() == TableContent.Result.MATCH
                                                ? result.proven(at, now.source(), now.target()) : result))
                                .invoke(done -> {
                                    tablesDone.incrementAndGet();
                                    report.run();
                                });
                    })
                    .collect().asList();
        })).eventually(() -> progress.put(deep.pair(), ContentProgress.of(false, started, Instant.now(), tablesDone.get(),
                tables.size(), chunksDone.get(), rowsDone.get(), rows)));
    }

    /** The quoted names of a pair's subscribed tables, by {@code schema.table}. */
    private static Map<String, String> quotedNames(List<SubscriptionTable> tables) {
        Map<String, String> names = new LinkedHashMap<>();
        tables.forEach(t -> names.put(t.qualifiedName(), Sql.quoteIdent(t.schema()) + "." + Sql.quoteIdent(t.name())));
        return names;
    }

    /** Matches proven by this run, with the counters they were taken with. */
    private static List<TableContent> freshProofs(List<TableContent> content) {
        return content.stream().filter(c -> c.result() == TableContent.Result.MATCH && c.provenAt() != null
                && c.detail() == null && c.sourceChanges() != null).toList();
    }

    /**
     * Keeps a run's result at once, its new proofs without their counters: a proof's counters become carriable only
     * once they are settled, read again {@code verify-settle} after the proof began and unmoved on both sides (in
     * the background, on connections of its own). A change the source had not yet published to its counters when
     * the proof began would otherwise let a later write on the target balance it; a table that moved keeps its
     * match for this run but is hashed again by the next.
     */
    private void store(Snapshot snapshot, PairInfo pair, DeepCheck result) {
        List<TableContent> fresh = freshProofs(result.content());
        DeepCheck held = fresh.isEmpty() ? result : result.withContent(result.content().stream()
                .map(c -> fresh.contains(c) ? c.proven(c.provenAt(), null, null) : c).toList());
        results.put(pair.name(), held);
        DatabaseSettings source = database(pair.sourceDatabase());
        DatabaseSettings target = database(pair.targetDatabase());
        DatabaseSnapshot targetDb = snapshot.database(pair.targetDatabase());
        if (fresh.isEmpty() || source == null || target == null || targetDb == null) {
            return;
        }
        Map<String, String> names = quotedNames(targetDb.subscriptions().stream()
                .filter(s -> s.name().equals(pair.subscription())).flatMap(s -> s.tables().stream()).toList());
        Instant last = fresh.stream().map(TableContent::provenAt).max(Instant::compareTo).orElseThrow();
        java.time.Duration wait = java.time.Duration.between(Instant.now(), last.plus(config.verifySettle()));
        Uni<Void> pause = wait.isNegative() || wait.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        Map<String, Changes> again = new ConcurrentHashMap<>();
        pause.chain(() -> withConnection(source, Map.of(), s -> withConnection(target, Map.of(), t ->
                        Multi.createFrom().iterable(fresh).filter(c -> names.containsKey(c.table()))
                                .onItem().transformToUniAndConcatenate(c -> changes(t, s, names.get(c.table()))
                                        .invoke(now -> again.put(c.table(), now)))
                                .collect().asList())))
                .subscribe().with(done -> results.computeIfPresent(pair.name(), (name, current) -> current != held ? current
                        : held.withContent(held.content().stream().map(c -> settled(c, fresh, again)).toList())),
                        failed -> { }); // unsettled proofs stay without counters: hashed again next run
    }

    /** The proof with its counters back when they did not move on either side since it began. */
    static TableContent settled(TableContent held, List<TableContent> fresh, Map<String, Changes> again) {
        Changes now = again.get(held.table());
        return fresh.stream().filter(f -> f.table().equals(held.table()) && now != null
                        && java.util.Objects.equals(now.source(), f.sourceChanges())
                        && java.util.Objects.equals(now.target(), f.targetChanges()))
                .findFirst().orElse(held);
    }

    /** A table's row changes on each side; null where its statistics show none. */
    record Changes(Long source, Long target) {
    }

    // A partitioned table counts no row changes of its own (its partitions do): none, so it is never carried.
    private static final String CHANGES = """
            SELECT CASE WHEN c.relkind = 'r' THEN s.n_tup_ins + s.n_tup_upd + s.n_tup_del END AS n
            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.oid = $1::regclass
            """;

    /**
     * The target's counter first, then the source's: a change the source counts in between is then on the source's
     * side of the difference, where a later equal difference cannot hide a write on the target.
     */
    private static Uni<Changes> changes(SqlConnection target, SqlConnection source, String quoted) {
        return changes(target, quoted).flatMap(t -> changes(source, quoted).map(s -> new Changes(s, t)))
                .onFailure().recoverWithItem(new Changes(null, null));
    }

    private static Uni<Long> changes(SqlConnection connection, String quoted) {
        return connection.preparedQuery(CHANGES).execute(io.vertx.mutiny.sqlclient.Tuple.of(quoted))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("n") : null);
    }

    /**
     * Whether the previous run's proof that the table matched still holds without hashing it again: counted equal
     * this run, no row of it changed on either side since that proof, and the catalogs it rests on the same
     * ({@link #sameCatalogs}). Equal changes on both sides since the proof are no evidence: a source transaction
     * that rolled back counts changes the target never receives, and one write on the target then evens them out.
     */
    static boolean carries(TableContent proof, Long counted, Changes now) {
        return proof != null && counted != null && proof.sourceChanges() != null && proof.targetChanges() != null
                && proof.sourceChanges().equals(now.source()) && proof.targetChanges().equals(now.target());
    }

    /**
     * Whether nothing a content proof rests on changed between two runs: the tables' definitions and storage on
     * both sides (DDL, TRUNCATE, rewrites), the source's publications and the target's subscriptions.
     */
    static boolean sameCatalogs(DeepCheck previous, DeepCheck now) {
        if (previous == null || previous.sourceFingerprint() == null || previous.targetFingerprint() == null
                || now.sourceFingerprint() == null || now.targetFingerprint() == null) {
            return false;
        }
        Fingerprint s0 = previous.sourceFingerprint(), t0 = previous.targetFingerprint();
        Fingerprint s1 = now.sourceFingerprint(), t1 = now.targetFingerprint();
        return s0.tables().equals(s1.tables()) && t0.tables().equals(t1.tables())
                && s0.publications().equals(s1.publications()) && t0.subscriptions().equals(t1.subscriptions());
    }

    private DatabaseSettings database(String name) {
        return settings.get().databases().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    private <T> Uni<T> withConnection(DatabaseSettings db, Map<String, String> session,
                                      Function<SqlConnection, Uni<T>> work) {
        return io.pgrepmon.db.PasswordFiles.refresh(vertx, db).flatMap(ignored -> {
            // row_security off: a query that row-level security would filter fails instead of counting fewer rows.
            var options = DatabaseClient.connectOptions(db, poll, config.deepCheckTimeout()).addProperty("row_security", "off");
            session.forEach(options::addProperty);
            return PgConnection.connect(vertx, options)
                    .flatMap(connection -> work.apply(connection).eventually(connection::close));
        });
    }

    /**
     * What one side holds: its sequences (values, and definitions: increment, cycle, persistence), the counts of the
     * tables, their columns and keys.
     */
    record Side(Fingerprint fingerprint, Map<String, Long> sequences, List<String> unreadableSequences,
                Map<String, Long> counts, Map<String, String> notCounted, Map<String, Map<String, String>> columns,
                Map<String, List<String>> keys, java.util.Set<String> descending,
                Map<String, SequenceDefinition> sequenceDefinitions) {
    }

    /** What decides the values a sequence hands out, besides where it stands. */
    record SequenceDefinition(long increment, boolean cycle, boolean unlogged) {
    }

    private static final String SEQUENCES = """
            SELECT format('%I.%I', s.schemaname, s.sequencename) AS name, s.last_value, s.increment_by, s.cycle,
                   c.relpersistence = 'u' AS unlogged,
                   has_sequence_privilege(c.oid, 'SELECT') AND has_schema_privilege(n.oid, 'USAGE') AS readable
            FROM pg_sequences s
            JOIN pg_namespace n ON n.nspname = s.schemaname
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
            WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """;

    // What decides whether the data and the keys behave the same after the switch: each column's type, collation
    // (when not its type's), NOT NULL, identity with the sequence behind it (the sequences check compares sequences
    // by name: an identity drawing on another one on the target would start where that one stands) and default or
    // generation expression. The sequence is found through pg_depend, not pg_get_serial_sequence, which resolves the
    // table's name and fails the whole statement on a schema the monitor's role has no USAGE on.
    private static final String COLUMNS = """
            SELECT n.nspname || '.' || c.relname AS table_name, a.attname AS column_name,
                   format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
                           THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                   || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                                         WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
                   || CASE WHEN a.attidentity <> '' THEN coalesce(' (SEQUENCE ' || (
                           SELECT format('%I.%I', sn.nspname, s.relname) FROM pg_depend dep
                           JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
                           JOIN pg_namespace sn ON sn.oid = s.relnamespace
                           WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                             AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i'
                           LIMIT 1) || ')', '') ELSE '' END
                   || CASE WHEN a.attgenerated <> '' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ')'
                           WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)
                           ELSE '' END AS column_type
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            JOIN pg_type ty ON ty.oid = a.atttypid
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            ORDER BY 1, a.attnum
            """;

    // The primary key and unique indexes: without them on the target, values the source refused are accepted. Each
    // is its definition after USING, without the names: columns or expressions with their collation, operator class
    // and order, INCLUDE, NULLS NOT DISTINCT (15+) and the predicate; the method when it is not btree.
    private static final String KEYS = """
            SELECT n.nspname || '.' || c.relname AS table_name,
                   CASE WHEN i.indisprimary THEN 'PRIMARY KEY ' ELSE 'UNIQUE ' END
                   || CASE WHEN am.amname <> 'btree' THEN 'USING ' || am.amname || ' ' ELSE '' END
                   || substring(pg_get_indexdef(i.indexrelid) from ' USING \\w+ (.*)$') AS key
            FROM pg_index i
            JOIN pg_class x ON x.oid = i.indexrelid
            JOIN pg_am am ON am.oid = x.relam
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.indisunique AND i.indisvalid AND c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """;

    // A partition's place: the tables it is a partition of and its bounds. Subscribed by its own name
    // (publish_via_partition_root off), a partition detached on the target or hung under another table still
    // receives its rows, but a query of the partitioned table no longer sees them.
    private static final String PARTITIONS = """
            SELECT n.nspname || '.' || c.relname AS table_name,
                   'PARTITION OF ' || (SELECT string_agg(an.nspname || '.' || ac.relname, ' OF ' ORDER BY a.ordinality)
                                       FROM pg_partition_ancestors(c.oid) WITH ORDINALITY a
                                       JOIN pg_class ac ON ac.oid = a.relid
                                       JOIN pg_namespace an ON an.oid = ac.relnamespace
                                       WHERE a.relid <> c.oid)
                   || ' ' || pg_get_expr(c.relpartbound, c.oid) AS key
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relispartition AND c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """;

    // Subscribed through the root (publish_via_partition_root), a partitioned table stands for its partitions: a
    // unique index that only a partition has (no index of the partitioned table above it) is one of its keys, with
    // the partition it is on.
    private static final String PARTITION_KEYS = """
            SELECT DISTINCT an.nspname || '.' || ac.relname AS table_name,
                   CASE WHEN i.indisprimary THEN 'PRIMARY KEY ' ELSE 'UNIQUE ' END
                   || CASE WHEN am.amname <> 'btree' THEN 'USING ' || am.amname || ' ' ELSE '' END
                   || substring(pg_get_indexdef(i.indexrelid) from ' USING \\w+ (.*)$')
                   || ' on partition ' || n.nspname || '.' || c.relname || ' only' AS key
            FROM pg_index i
            JOIN pg_class x ON x.oid = i.indexrelid
            JOIN pg_am am ON am.oid = x.relam
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL pg_partition_ancestors(c.oid) a
            JOIN pg_class ac ON ac.oid = a.relid
            JOIN pg_namespace an ON an.oid = ac.relnamespace
            WHERE i.indisunique AND i.indisvalid AND c.relispartition AND a.relid <> c.oid
              AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
              AND an.nspname NOT IN ('pg_catalog', 'information_schema') AND an.nspname NOT LIKE 'pg\\_%'
            """;

    // An unlogged table is emptied by a crash or a failover of its instance: the target must keep what it holds. A
    // partitioned table's own flag means nothing for its partitions (before 18): its leaves are what is written.
    private static final String UNLOGGED = """
            SELECT n.nspname || '.' || c.relname AS table_name,
                   CASE WHEN c.relkind = 'r' THEN 'UNLOGGED (a crash or failover empties it)'
                        ELSE 'UNLOGGED partitions (a crash or failover empties them)' END AS key
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE ((c.relkind = 'r' AND c.relpersistence = 'u')
                   OR (c.relkind = 'p' AND EXISTS (SELECT 1 FROM pg_partition_tree(c.oid) t
                                                   JOIN pg_class l ON l.oid = t.relid
                                                   WHERE t.isleaf AND l.relpersistence = 'u')))
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """;

    // On the target, a trigger that fires for the changes replication applies (ENABLE ALWAYS or REPLICA) writes rows
    // the source does not have, and the row counters cannot tell: a difference in the schema.
    private static final String REPLICA_TRIGGERS = """
            SELECT DISTINCT t.name AS table_name,
                   'TRIGGER ' || quote_ident(tg.tgname) || CASE tg.tgenabled WHEN 'A' THEN ' ENABLE ALWAYS' ELSE ' ENABLE REPLICA' END
                   || CASE WHEN t.own THEN '' ELSE ' on partition ' || n.nspname || '.' || c.relname END
                   || ' (it fires for the changes replication applies)' AS key
            FROM pg_trigger tg
            JOIN pg_class c ON c.oid = tg.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            -- A partition's trigger is also its partitioned tables': rows sent through the root are applied to it.
            -- Before 15 a partitioned table's trigger is cloned to its partitions as internal (tgparentid is set).
            CROSS JOIN LATERAL (SELECT n.nspname || '.' || c.relname AS name, true AS own
                                UNION ALL
                                SELECT an.nspname || '.' || ac.relname, false
                                FROM pg_partition_ancestors(c.oid) a
                                JOIN pg_class ac ON ac.oid = a.relid
                                JOIN pg_namespace an ON an.oid = ac.relnamespace
                                WHERE a.relid <> c.oid AND c.relispartition) t
            WHERE (NOT tg.tgisinternal OR tg.tgparentid <> 0) AND tg.tgenabled IN ('A', 'R') AND c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """;

    /**
     * Definitions are printed alike on both sides whatever each server's settings: a timestamptz bound or default in
     * UTC, dates and intervals in one style. The search path is left as each database has it: an extension in another
     * schema on the target (citext in extensions, say) would otherwise print as a difference it is not.
     */
    static final Map<String, String> DEFINITIONS = ContentComparer.SESSION;

    /** The fingerprint first: whatever changes while the rest is read then makes the result stale, never fresh. */
    private Uni<Side> read(SqlConnection c, ServerInfo server, List<SubscriptionTable> tables, Map<String, Long> estimates,
                           boolean target) {
        AtomicReference<Fingerprint> fingerprint = new AtomicReference<>();
        Uni<Void> readFingerprint = FingerprintProbe.read(c, server, null, true).invoke(fingerprint::set).replaceWithVoid();
        Map<String, Long> sequences = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, String> notCounted = new LinkedHashMap<>();
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        java.util.Set<String> descending = new java.util.HashSet<>();
        Map<String, Long> increments = new LinkedHashMap<>();
        Map<String, SequenceDefinition> definitions = new LinkedHashMap<>();
        Uni<Void> readSequences = c.query(SEQUENCES).execute().invoke(rows -> rows.forEach(row -> {
            definitions.put(row.getString("name"), new SequenceDefinition(row.getLong("increment_by"),
                    row.getBoolean("cycle"), row.getBoolean("unlogged")));
            if (Boolean.TRUE.equals(row.getBoolean("readable"))) {
                sequences.put(row.getString("name"), row.getLong("last_value"));
                increments.put(row.getString("name"), row.getLong("increment_by"));
                if (row.getLong("increment_by") < 0) {
                    descending.add(row.getString("name"));
                }
            } else {
                unreadable.add(row.getString("name"));
            }
        })).replaceWithVoid()
                // pg_sequences shows no value for a sequence never read or set with setval(..., false); the sequence
                // itself (its name comes quoted from format('%I.%I')) tells where it stands: the value before its next.
                .chain(() -> Multi.createFrom().iterable(new ArrayList<>(sequences.entrySet()))
                        .filter(e -> e.getValue() == null)
                        .onItem().transformToUniAndConcatenate(e -> c.query("SELECT last_value, is_called FROM "
                                + e.getKey()).execute().invoke(r -> {
                            Row row = r.iterator().next();
                            long last = row.getLong("last_value");
                            sequences.put(e.getKey(), row.getBoolean("is_called") ? last : last - increments.get(e.getKey()));
                        }))
                        .collect().asList().replaceWithVoid());
        Uni<Void> readColumns = c.query(COLUMNS).execute().invoke(rows -> rows.forEach(row ->
                columns.computeIfAbsent(row.getString("table_name"), k -> new LinkedHashMap<>())
                        .put(row.getString("column_name"), row.getString("column_type")))).replaceWithVoid();
        Uni<Void> readKeys = c.query(KEYS + " UNION ALL " + UNLOGGED + " UNION ALL " + PARTITIONS + " UNION ALL " + PARTITION_KEYS
                        + (target ? " UNION ALL " + REPLICA_TRIGGERS : "") + " ORDER BY 1, 2")
                .execute().invoke(rows -> rows.forEach(row ->
                keys.computeIfAbsent(row.getString("table_name"), k -> new ArrayList<>()).add(row.getString("key"))))
                .replaceWithVoid();
        Uni<Void> countRows = Multi.createFrom().iterable(tables)
                .onItem().transformToUniAndConcatenate(t -> count(c, t, estimates.get(t.qualifiedName()), counts, notCounted))
                .collect().asList().replaceWithVoid();
        return readFingerprint.chain(() -> readSequences).chain(() -> readColumns).chain(() -> readKeys)
                .chain(() -> countRows)
                .map(ignored -> new Side(fingerprint.get(), sequences, unreadable, counts, notCounted, columns, keys,
                        descending, definitions));
    }

    private Uni<Void> count(SqlConnection c, SubscriptionTable table, Long estimate, Map<String, Long> counts,
                            Map<String, String> notCounted) {
        String name = table.qualifiedName();
        if (estimate != null && estimate > config.exactCountMaxRows()) {
            notCounted.put(name, "about " + estimate + " rows, above monitor.cutover.exact-count-max-rows: not counted");
            return Uni.createFrom().voidItem();
        }
        String quoted = Sql.quoteIdent(table.schema()) + "." + Sql.quoteIdent(table.name());
        return c.query("SELECT has_table_privilege('" + quoted.replace("'", "''") + "', 'SELECT') AS ok").execute()
                .flatMap(rows -> {
                    if (!Boolean.TRUE.equals(rows.iterator().next().getBoolean("ok"))) {
                        notCounted.put(name, "the monitor's role may not SELECT from it (GRANT SELECT ON " + quoted + ")");
                        return Uni.createFrom().voidItem();
                    }
                    return c.query("SELECT count(*) AS n FROM " + quoted).execute()
                            .invoke(r -> counts.put(name, r.iterator().next().getLong("n"))).replaceWithVoid();
                })
                .onFailure().recoverWithUni(e -> {
                    String message = String.valueOf(e.getMessage());
                    notCounted.put(name, message.contains("row-level security")
                            ? "row-level security would hide rows from the monitor's role, so it is not counted"
                            + " (ALTER ROLE ... BYPASSRLS for the monitor's role, or let it own the table)"
                            : "count failed: " + message);
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * @param beyond    subscribed tables left out by {@code max-tables}: not compared, so nothing is proven of them
     * @param maxTables the bound, named in the evidence
     */
    static DeepCheck compare(String pair, Instant at, Side source, Side target, int subscribedTables, List<String> beyond,
                             int maxTables) {
        List<SequenceReport> sequences = new ArrayList<>();
        source.sequences().forEach((name, value) -> sequences.add(CutoverEvaluator.compare(name, value,
                target.sequences().get(name), target.sequences().containsKey(name) || target.unreadableSequences().contains(name),
                !source.descending().contains(name))));
        String sequencesProblem = null;
        List<String> unreadable = new ArrayList<>(source.unreadableSequences());
        target.unreadableSequences().forEach(s -> unreadable.add(s + " (target)"));
        if (!unreadable.isEmpty()) {
            sequencesProblem = unreadable.size() + " sequence(s) not readable by the monitor's role: "
                    + String.join(", ", unreadable.subList(0, Math.min(5, unreadable.size())))
                    + " (GRANT SELECT ON ALL SEQUENCES IN SCHEMA ... TO the monitor's role, on both sides)";
        }
        List<DeepCheck.TableCount> counts = new ArrayList<>();
        List<String> diffs = new ArrayList<>();
        for (String table : union(source, target)) {
            String note = source.notCounted().getOrDefault(table, target.notCounted().get(table));
            counts.add(new DeepCheck.TableCount(table, source.counts().get(table), target.counts().get(table), note));
            diffs.addAll(schemaDiffs(table, source, target));
        }
        diffs.addAll(sequenceDiffs(source, target));
        String limit = "not compared: beyond monitor.cutover.max-tables (" + maxTables + "); raise it to compare every table";
        beyond.forEach(table -> counts.add(new DeepCheck.TableCount(table, null, null, limit)));
        String schemaProblem = beyond.isEmpty() ? null : beyond.size() + " of " + subscribedTables + " table(s) " + limit;
        String countsProblem = subscribedTables == 0 ? "the subscription has no tables" : null;
        return new DeepCheck(pair, at, sequences, sequencesProblem, counts, countsProblem, diffs, schemaProblem,
                source.fingerprint(), target.fingerprint(), List.of());
    }

    /** Columns by name (type, NOT NULL, identity, default), then the primary key and unique indexes. */
    static List<String> schemaDiffs(String table, Side source, Side target) {
        List<String> diffs = new ArrayList<>();
        Map<String, String> sourceColumns = source.columns().getOrDefault(table, Map.of());
        Map<String, String> targetColumns = target.columns().getOrDefault(table, Map.of());
        sourceColumns.forEach((column, definition) -> {
            String there = targetColumns.get(column);
            if (there == null) {
                diffs.add(table + ": " + column + " " + definition + " on the source, not on the target");
            } else if (!there.equals(definition)) {
                diffs.add(table + ": " + column + " is " + definition + " on the source, " + there + " on the target");
            }
        });
        targetColumns.forEach((column, definition) -> {
            if (!sourceColumns.containsKey(column)) {
                diffs.add(table + ": " + column + " " + definition + " on the target only");
            }
        });
        List<String> sourceKeys = source.keys().getOrDefault(table, List.of());
        List<String> targetKeys = target.keys().getOrDefault(table, List.of());
        sourceKeys.stream().filter(k -> !targetKeys.contains(k))
                .forEach(k -> diffs.add(table + ": " + k + " on the source, not on the target"));
        targetKeys.stream().filter(k -> !sourceKeys.contains(k))
                .forEach(k -> diffs.add(table + ": " + k + " on the target only"));
        return diffs;
    }

    /**
     * A sequence defined otherwise on the target hands out other values than the source would: another increment
     * breaks an application's pooled id allocator (INCREMENT BY its allocation size; a smaller one on the target
     * reuses blocks the source handed out), one that cycles there only starts again from its minimum, and an unlogged
     * one goes back after a crash or failover. A sequence on one side only is the sequences check's.
     */
    static List<String> sequenceDiffs(Side source, Side target) {
        List<String> diffs = new ArrayList<>();
        source.sequenceDefinitions().forEach((sequence, mine) -> {
            SequenceDefinition there = target.sequenceDefinitions().get(sequence);
            if (there == null) {
                return;
            }
            if (there.increment() != mine.increment()) {
                diffs.add(sequence + ": sequence INCREMENT BY " + mine.increment() + " on the source, " + there.increment()
                        + " on the target");
            }
            if (there.cycle() && !mine.cycle()) {
                diffs.add(sequence + ": sequence CYCLE on the target only (at its end it starts again from its minimum)");
            }
            if (there.unlogged() && !mine.unlogged()) {
                diffs.add(sequence + ": sequence UNLOGGED on the target only (a crash or failover sends it back)");
            }
        });
        return diffs;
    }

    private static List<String> union(Side source, Side target) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        all.addAll(source.counts().keySet());
        all.addAll(source.notCounted().keySet());
        all.addAll(target.counts().keySet());
        all.addAll(target.notCounted().keySet());
        return new ArrayList<>(all);
    }
}

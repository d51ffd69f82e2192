package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.List;

/**
 * The catalog fingerprint of a source or a target (see {@link Fingerprint}), read every tick and by each deep
 * check, so that a deep result is judged against everything that could have made it wrong since. The deep check
 * runs this same statement on its own connection.
 */
public final class FingerprintProbe implements Probe<Fingerprint> {

    public static final String NAME = "fingerprint";

    /**
     * Relations that someone holds or awaits a lock on that conflicts with ours: anything that opens one of them
     * (deparsing a table's expression takes ACCESS SHARE, reading a sequence's value ROW EXCLUSIVE) would wait
     * behind it.
     */
    static String lockedAgainst(String ourMode) {
        String conflicting = ourMode.equals("RowExclusiveLock")
                ? "'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'"
                : "'AccessExclusiveLock'";
        return """
                SELECT l.relation FROM pg_locks l
                WHERE l.locktype = 'relation' AND l.mode IN (%s)
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""".formatted(conflicting);
    }

    // Each catalog row of a user table is hashed on its own and the hashes summed: linear, no sort, and no deparsing
    // (pg_get_expr and pg_get_indexdef open the table, so they wait behind a lock on it). The stored node trees
    // are compared as text instead, which changes exactly when the definition does.
    // $1: the catalog counters at the last hash of the table definitions, $2: hash them regardless, $3: sum the row
    // changes (the tick takes them from the activity statement instead, linear in tables too). The hash and the sum
    // are InitPlans behind a CASE, so PostgreSQL runs each only when it is needed.
    private static final String SQL = """
            WITH changes AS MATERIALIZED (
                SELECT string_agg(coalesce(pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
                                           + pg_stat_get_tuples_deleted(c.oid), 0)::text, ',' ORDER BY c.oid) AS token
                FROM pg_class c
                WHERE c.oid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_attribute'::regclass,
                                'pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_index'::regclass,
                                'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_trigger'::regclass,
                                'pg_catalog.pg_rewrite'::regclass, 'pg_catalog.pg_namespace'::regclass,
                                'pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_inherits'::regclass,
                                'pg_catalog.pg_depend'::regclass)
            ), t AS MATERIALIZED (
                SELECT c.oid, concat_ws(':', c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relispartition,
                                        c.relfilenode, c.relreplident) AS line
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
                  AND c.relname <> '%1$s'
            ), parts(line) AS (
                SELECT t.line FROM t
                UNION ALL
                SELECT concat_ws(',', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation,
                                 a.attnotnull, a.attidentity, a.attgenerated, d.adbin::text)
                FROM pg_attribute a
                JOIN t ON t.oid = a.attrelid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT concat_ws(',', i.indexrelid, i.indrelid, ic.relam, i.indisunique, i.indisprimary, i.indisreplident,
                                 i.indisvalid, i.indnkeyatts, i.indkey::text, i.indclass::text, i.indcollation::text,
                                 i.indoption::text, i.indexprs::text, i.indpred::text, %6$s)
                FROM pg_index i
                JOIN t ON t.oid = i.indrelid
                JOIN pg_class ic ON ic.oid = i.indexrelid
                UNION ALL
                SELECT concat_ws(',', tg.oid, tg.tgrelid, tg.tgenabled, tg.tgtype, tg.tgfoid, tg.tgqual::text, md5(p.prosrc))
                FROM pg_trigger tg
                JOIN t ON t.oid = tg.tgrelid
                JOIN pg_proc p ON p.oid = tg.tgfoid
                WHERE NOT tg.tgisinternal
                UNION ALL
                SELECT concat_ws(',', co.oid, co.conrelid, co.contype, co.condeferrable, co.condeferred, co.convalidated,
                                 co.conkey::text, co.confrelid, co.confkey::text, co.confupdtype, co.confdeltype,
                                 co.confmatchtype, co.conexclop::text, co.conbin::text)
                FROM pg_constraint co
                JOIN t ON t.oid = co.conrelid
                UNION ALL
                SELECT concat_ws(',', r.oid, r.ev_class, r.ev_enabled)
                FROM pg_rewrite r
                JOIN t ON t.oid = r.ev_class
                UNION ALL
                SELECT concat_ws(',', 'inherits', i.inhrelid, i.inhparent, i.inhseqno)
                FROM pg_inherits i
                JOIN t ON t.oid = i.inhrelid
                UNION ALL
                SELECT concat_ws(',', 'extension', d.objid, d.refobjid)
                FROM pg_depend d
                JOIN t ON t.oid = d.objid
                WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
            )
            SELECT (SELECT token FROM changes) AS catalog_changes,
                   CASE WHEN $2::bool OR $1::text IS DISTINCT FROM (SELECT token FROM changes)
                        THEN (SELECT md5(count(*) || ':' || coalesce(sum(hashtextextended(line, 0)), 0)) FROM parts)
                   END AS tables,
                   md5(coalesce((SELECT string_agg(concat_ws(':', p.oid, p.pubname, p.puballtables, p.pubinsert,
                                                    p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot),
                                          '|' ORDER BY p.oid) FROM pg_publication p), '')
                       || coalesce((SELECT string_agg(concat_ws(':', r.prpubid, r.prrelid, %2$s), '|' ORDER BY r.oid)
                                    FROM pg_publication_rel r), '')
                       || %3$s) AS publications,
                   md5(coalesce((SELECT string_agg(concat_ws(':', %5$s, s.subname, s.subpublications::text, s.subslotname,
                                                    %4$s),
                                          '|' ORDER BY s.subname)
                                 FROM pg_subscription s
                                 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())), '')
                       || coalesce((SELECT string_agg(concat_ws(':', r.srsubid, r.srrelid), '|' ORDER BY r.srsubid, r.srrelid)
                                    FROM pg_subscription_rel r), '')) AS subscriptions,
                   md5(coalesce((SELECT string_agg(concat_ws(':', n.nspname, c.relname,
                                                             sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcycle, c.relpersistence,
                                                             CASE WHEN c.oid IN (%7$s) THEN 'locked ' || clock_timestamp()
                                                                  WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
                                                                  THEN pg_sequence_last_value(c.oid)::text END),
                                                   '|' ORDER BY n.nspname, c.relname)
                                 FROM pg_class c
                                 JOIN pg_namespace n ON n.oid = c.relnamespace
                                 JOIN pg_sequence sq ON sq.seqrelid = c.oid
                                 WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                                   AND n.nspname NOT LIKE 'pg\\_temp%%'), ''))
                       AS sequences,
                   CASE WHEN $3::bool THEN %8$s END AS row_changes
            """;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(DatabaseSettings db, ServerInfo server) {
        return true;
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        return sql(server);
    }

    /** The statement for a server of this version; the deep check runs it too. */
    public static String sql(ServerInfo server) {
        boolean v15 = server.versionNum() >= 150000;
        return SQL.formatted(HeartbeatProbe.TABLE,
                v15 ? "r.prattrs::text, r.prqual::text" : "NULL",
                v15 ? "coalesce((SELECT string_agg(concat_ws(':', pn.pnpubid, pn.pnnspid), '|' ORDER BY pn.oid)"
                        + " FROM pg_publication_namespace pn), '')" : "''",
                Probe.since(server, 160000, "s.suborigin", "text"),
                // Before 14 the public may not read pg_subscription.oid; the tables' srsubid still tells a recreated one.
                server.versionNum() >= 140000 ? "s.oid" : "NULL",
                Probe.since(server, 150000, "i.indnullsnotdistinct", "bool"),
                lockedAgainst("RowExclusiveLock"),
                ActivityProbe.ROW_CHANGES);
    }

    @Override
    public Fingerprint map(Row row, ServerInfo server) {
        return of(row, null);
    }

    /** Every part read, the table definitions hashed. */
    @Override
    public Uni<List<Fingerprint>> read(SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        return read(connection, server, null, true).map(List::of);
    }

    /**
     * The fingerprint, hashing the table definitions again only when asked to or when the catalogs' row counters
     * moved since {@code previous} hashed them; otherwise its hash is carried, with {@link Fingerprint#tablesRead()}
     * false. The counters are the cheap test (a few values, against a scan of every column and index); since a
     * server may publish them seconds late, or lose them (13 and 14 send them over UDP), whoever must be sure asks
     * for the hash.
     */
    public static Uni<Fingerprint> read(SqlConnection connection, ServerInfo server, Fingerprint previous, boolean hash) {
        return read(connection, server, previous, hash, true);
    }

    /**
     * @param countRows sum the row changes; when false, {@link Fingerprint#rowChanges()} is
     *                  {@link Fingerprint#ROWS_NOT_READ} until {@link Fingerprint#withRowChanges} fills it in from a
     *                  statement of the same round trip that summed them
     */
    public static Uni<Fingerprint> read(SqlConnection connection, ServerInfo server, Fingerprint previous, boolean hash,
                                        boolean countRows) {
        Tuple params = Tuple.tuple().addString(previous == null ? null : previous.catalogChanges())
                .addBoolean(hash || previous == null).addBoolean(countRows);
        return connection.preparedQuery(sql(server)).execute(params).map(rows -> of(rows.iterator().next(), previous));
    }

    private static Fingerprint of(Row row, Fingerprint previous) {
        String tables = row.getString("tables");
        Long rowChanges = row.getLong("row_changes");
        return new Fingerprint(tables != null ? tables : previous.tables(), row.getString("publications"),
                row.getString("subscriptions"), row.getString("sequences"),
                rowChanges == null ? Fingerprint.ROWS_NOT_READ : rowChanges, row.getString("catalog_changes"), tables != null);
    }
}

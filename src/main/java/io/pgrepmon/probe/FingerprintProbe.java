package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.ServerInfo;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The catalog fingerprint of a source or a target (see {@link Fingerprint}), read every tick and by each deep
 * check, so that a deep result is judged against everything that could have made it wrong since. The deep check
 * runs this same statement on its own connection.
 */
public final class FingerprintProbe implements Probe<Fingerprint> {

    public static final String NAME = "fingerprint";

    private static final String SQL = """
            WITH t AS MATERIALIZED (
                SELECT c.oid, n.nspname, c.relname, c.relfilenode, c.relreplident
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
                  AND c.relname <> '%1$s'
            )
            SELECT md5(coalesce((SELECT string_agg(concat_ws(':', t.oid, t.nspname, t.relname, t.relfilenode, t.relreplident,
                       (SELECT string_agg(concat_ws(',', a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation,
                                                    a.attnotnull, a.attidentity, a.attgenerated,
                                                    pg_get_expr(d.adbin, d.adrelid)),
                                          ';' ORDER BY a.attnum)
                        FROM pg_attribute a
                        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                        WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
                       (SELECT string_agg(concat_ws(',', i.indexrelid, i.indisunique, i.indisprimary, i.indisreplident,
                                                    i.indisvalid, pg_get_indexdef(i.indexrelid)),
                                          ';' ORDER BY i.indexrelid)
                        FROM pg_index i WHERE i.indrelid = t.oid),
                       (SELECT string_agg(concat_ws(',', tg.oid, tg.tgenabled, tg.tgfoid, md5(p.prosrc)), ';' ORDER BY tg.oid)
                        FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
                        WHERE tg.tgrelid = t.oid AND NOT tg.tgisinternal),
                       (SELECT string_agg(concat_ws(',', co.oid, pg_get_constraintdef(co.oid)), ';' ORDER BY co.oid)
                        FROM pg_constraint co WHERE co.conrelid = t.oid),
                       (SELECT string_agg(concat_ws(',', r.oid, r.ev_enabled), ';' ORDER BY r.oid)
                        FROM pg_rewrite r WHERE r.ev_class = t.oid)),
                   '|' ORDER BY t.oid) FROM t), '')) AS tables,
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
                   md5(coalesce((SELECT string_agg(concat_ws(':', schemaname, sequencename, last_value), '|'
                                                   ORDER BY schemaname, sequencename)
                                 FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')), ''))
                       AS sequences,
                   (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables
                    WHERE relname <> '%1$s')::bigint AS row_changes
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
                v15 ? "r.prattrs::text, pg_get_expr(r.prqual, r.prrelid)" : "NULL",
                v15 ? "coalesce((SELECT string_agg(concat_ws(':', pn.pnpubid, pn.pnnspid), '|' ORDER BY pn.oid)"
                        + " FROM pg_publication_namespace pn), '')" : "''",
                Probe.since(server, 160000, "s.suborigin", "text"),
                // Before 14 the public may not read pg_subscription.oid; the tables' srsubid still tells a recreated one.
                server.versionNum() >= 140000 ? "s.oid" : "NULL");
    }

    @Override
    public Fingerprint map(Row row, ServerInfo server) {
        return of(row);
    }

    public static Fingerprint of(Row row) {
        return new Fingerprint(row.getString("tables"), row.getString("publications"), row.getString("subscriptions"),
                row.getString("sequences"), row.getLong("row_changes"));
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.model.ServerInfo;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.vertx.mutiny.sqlclient.Row;

import java.util.List;

/**
 * User tables of a source with the publications that cover them and their replica identity: what a migration
 * would miss (a table in no publication) or break on (UPDATE/DELETE of a published table with no usable identity).
 * A partition counts as published when it or an ancestor is (publish_via_partition_root lists only the root), and
 * names its ancestors: a subscription through the root lists the root, which is no table of its own here.
 * Unlogged tables are listed too: they cannot be published, so they are always missed.
 */
public final class TablesProbe extends RoleProbe<TableReading> {

    /** Its report's name: the cutover checks need to know that the source's tables were read. */
    public static final String NAME = "tables";

    /** At most this many tables per read are sized with pg_table_size: those pg_class has no pages for yet. */
    static final int SIZED_EXACTLY = 200;

    // Linear in the number of tables: each publication is expanded once and aggregated by relation, then joined;
    // only a partition looks up its ancestors. The size is read from pg_class (as of the table's last VACUUM or
    // ANALYZE): pg_table_size opens the table, costs a few file lookups each and waits behind an ACCESS EXCLUSIVE
    // lock on it, so only tables never vacuumed or analyzed (no pages in pg_class, such as one just loaded) are
    // sized with it, a bounded number of them, and none that someone holds or awaits such a lock on.
    static final String SQL = """
            WITH pub AS MATERIALIZED (
                SELECT g.relid, array_agg(DISTINCT p.pubname::text ORDER BY p.pubname::text) AS pubs
                FROM pg_publication p, LATERAL pg_get_publication_tables(p.pubname::text) g
                GROUP BY g.relid
            ), unsized AS MATERIALIZED (
                SELECT c.oid FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpages = 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND c.oid NOT IN (%s)
                ORDER BY c.oid DESC LIMIT %d
            ), idx AS MATERIALIZED (
                SELECT i.indrelid, bool_or(i.indisprimary) AS has_pk, bool_or(i.indisreplident) AS has_identity_index
                FROM pg_index i
                GROUP BY i.indrelid
            )
            SELECT n.nspname AS schema_name, c.relname AS table_name,
                   coalesce(CASE WHEN c.relispartition
                                 THEN ARRAY(SELECT DISTINCT u FROM pg_partition_ancestors(c.oid) a
                                            JOIN pub q ON q.relid = a.relid, unnest(q.pubs) u ORDER BY 1)
                                 ELSE p.pubs END, '{}')::text[] AS publications,
                   coalesce(x.has_pk, false) AS has_pk, coalesce(x.has_identity_index, false) AS has_identity_index,
                   c.relreplident::text AS replident,
                   CASE WHEN c.oid IN (SELECT oid FROM unsized) THEN pg_table_size(c.oid)
                        ELSE (c.relpages::bigint + coalesce(toast.relpages, 0)) * current_setting('block_size')::bigint
                   END AS size_bytes,
                   c.reltuples::bigint AS estimated_rows,
                   CASE WHEN c.relispartition
                        THEN ARRAY(SELECT an.nspname || '.' || ac.relname FROM pg_partition_ancestors(c.oid) WITH ORDINALITY a
                                   JOIN pg_class ac ON ac.oid = a.relid JOIN pg_namespace an ON an.oid = ac.relnamespace
                                   WHERE a.relid <> c.oid ORDER BY a.ordinality)
                        ELSE '{}' END::text[] AS partition_of
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
            LEFT JOIN pub p ON p.relid = c.oid
            LEFT JOIN idx x ON x.indrelid = c.oid
            WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """.formatted(FingerprintProbe.lockedAgainst("AccessShareLock"), SIZED_EXACTLY);

    public TablesProbe() {
        super(NAME, Role.SOURCE, 0, SQL);
    }

    @Override
    public Cadence cadence() {
        return Cadence.CATALOG;
    }

    @Override
    public TableReading map(Row row, ServerInfo server) {
        boolean hasPk = row.getBoolean("has_pk");
        String identity = switch (row.getString("replident")) {
            case "d" -> "default";
            case "n" -> "nothing";
            case "f" -> "full";
            case "i" -> "index";
            default -> row.getString("replident");
        };
        boolean usable = switch (identity) {
            case "default" -> hasPk;
            case "full" -> true;
            case "index" -> row.getBoolean("has_identity_index");
            default -> false;
        };
        long rows = row.getLong("estimated_rows");
        // reltuples is -1 (14+) or 0 before the first VACUUM/ANALYZE: unknown, not empty.
        return new TableReading(row.getString("schema_name"), row.getString("table_name"),
                List.of(row.getArrayOfStrings("publications")), hasPk, identity, usable, row.getLong("size_bytes"),
                rows > 0 ? rows : null, List.of(row.getArrayOfStrings("partition_of")));
    }
}

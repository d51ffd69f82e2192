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
 * A partition counts as published when it or an ancestor is (publish_via_partition_root lists only the root).
 * Unlogged tables are listed too: they cannot be published, so they are always missed.
 */
public final class TablesProbe extends RoleProbe<TableReading> {

    /** Its report's name: the cutover checks need to know that the source's tables were read. */
    public static final String NAME = "tables";

    // pg_publication_tables is expanded once (MATERIALIZED), not once per table. pg_partition_ancestors returns
    // nothing for a table that is not a partition, hence the direct match as well.
    static final String SQL = """
            WITH pub AS MATERIALIZED (
                SELECT t.pubname::text AS pubname, c.oid AS relid
                FROM pg_publication_tables t
                JOIN pg_namespace n ON n.nspname = t.schemaname
                JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
            )
            SELECT n.nspname AS schema_name, c.relname AS table_name,
                   ARRAY(SELECT DISTINCT p.pubname FROM pub p
                         WHERE p.relid = c.oid
                            OR p.relid IN (SELECT a.relid FROM pg_partition_ancestors(c.oid) a)
                         ORDER BY 1)::text[] AS publications,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_identity_index,
                   c.relreplident::text AS replident,
                   pg_table_size(c.oid) AS size_bytes,
                   c.reltuples::bigint AS estimated_rows
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """;

    public TablesProbe() {
        super(NAME, Role.SOURCE, 0, SQL);
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
                rows > 0 ? rows : null);
    }
}

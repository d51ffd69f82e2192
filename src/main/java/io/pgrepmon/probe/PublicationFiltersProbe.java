package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.model.PublicationFilter;
import io.pgrepmon.model.ServerInfo;
import io.vertx.mutiny.sqlclient.Row;

import java.util.List;

/**
 * Tables a publication sends only in part, from {@code pg_publication_rel} (15+: {@code prattrs} is the column
 * list, {@code prqual} the row filter). Only tables named in a publication can carry either. Generated columns
 * are not counted as left out: the subscriber computes its own. A row filter is shown as text except on a table
 * someone holds or awaits an ACCESS EXCLUSIVE lock on, where deparsing it would wait: it is still known to exist.
 */
public final class PublicationFiltersProbe extends RoleProbe<PublicationFilter> {

    public static final String NAME = "publication-filters";

    /** The text of a row filter not shown because its table is locked. */
    static final String LOCKED = "(not shown while the table is locked)";

    static final String SQL = """
            SELECT p.pubname, n.nspname AS schema_name, c.relname AS table_name,
                   ARRAY(SELECT a.attname FROM pg_attribute a
                         WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)
                         ORDER BY a.attnum)::text[] AS columns,
                   ARRAY(SELECT a.attname FROM pg_attribute a
                         WHERE pr.prattrs IS NOT NULL AND a.attrelid = pr.prrelid AND a.attnum > 0
                           AND NOT a.attisdropped AND a.attgenerated = '' AND NOT (a.attnum = ANY (pr.prattrs))
                         ORDER BY a.attnum)::text[] AS omitted,
                   CASE WHEN pr.prqual IS NULL THEN NULL
                        WHEN pr.prrelid IN (%s) THEN '%s'
                        ELSE pg_get_expr(pr.prqual, pr.prrelid) END AS row_filter
            FROM pg_publication_rel pr
            JOIN pg_publication p ON p.oid = pr.prpubid
            JOIN pg_class c ON c.oid = pr.prrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE pr.prattrs IS NOT NULL OR pr.prqual IS NOT NULL
            ORDER BY 1, 2, 3
            """.formatted(FingerprintProbe.lockedAgainst("AccessShareLock"), LOCKED);

    public PublicationFiltersProbe() {
        super(NAME, Role.SOURCE, 150000, SQL);
    }

    @Override
    public Cadence cadence() {
        return Cadence.CATALOG;
    }

    @Override
    public boolean complete(List<PublicationFilter> rows) {
        return rows.stream().noneMatch(f -> LOCKED.equals(f.rowFilter()));
    }

    @Override
    public PublicationFilter map(Row row, ServerInfo server) {
        return new PublicationFilter(row.getString("pubname"), row.getString("schema_name"), row.getString("table_name"),
                List.of(row.getArrayOfStrings("columns")), List.of(row.getArrayOfStrings("omitted")), row.getString("row_filter"));
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.ServerInfo;
import io.vertx.mutiny.sqlclient.Row;

import java.util.List;

/** Publications of a source from {@code pg_publication}, with the tables each publishes. */
public final class PublicationsProbe extends RoleProbe<PublicationInfo> {

    /** Its report's name: the cutover checks need to know that the publications were read. */
    public static final String NAME = "publications";

    static final String SQL = """
            SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
                   ARRAY(SELECT t.schemaname || '.' || t.tablename FROM pg_publication_tables t
                         WHERE t.pubname = p.pubname ORDER BY 1)::text[] AS tables
            FROM pg_publication p
            ORDER BY p.pubname
            """;

    public PublicationsProbe() {
        super(NAME, Role.SOURCE, 0, SQL);
    }

    @Override
    public Cadence cadence() {
        return Cadence.CATALOG;
    }

    @Override
    public PublicationInfo map(Row row, ServerInfo server) {
        List<String> tables = List.of(row.getArrayOfStrings("tables"));
        return new PublicationInfo(row.getString("pubname"), row.getBoolean("puballtables"), row.getBoolean("pubinsert"),
                row.getBoolean("pubupdate"), row.getBoolean("pubdelete"), row.getBoolean("pubtruncate"),
                tables.size(), tables);
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/** Publications of a source from {@code pg_publication}, with the tables each publishes. */
public final class PublicationsProbe implements Probe<PublicationInfo> {

    static final String SQL = """
            SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
                   ARRAY(SELECT t.schemaname || '.' || t.tablename FROM pg_publication_tables t
                         WHERE t.pubname = p.pubname ORDER BY 1)::text[] AS tables
            FROM pg_publication p
            ORDER BY p.pubname
            """;

    @Override
    public String name() {
        return "publications";
    }

    @Override
    public boolean appliesTo(DatabaseSettings db, ServerInfo server) {
        return db.role() == Role.SOURCE;
    }

    @Override
    public Uni<List<PublicationInfo>> read(SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        return Sql.rows(connection, SQL, PublicationsProbe::from);
    }

    static PublicationInfo from(Row row) {
        List<String> tables = List.of(row.getArrayOfStrings("tables"));
        return new PublicationInfo(row.getString("pubname"), row.getBoolean("puballtables"), row.getBoolean("pubinsert"),
                row.getBoolean("pubupdate"), row.getBoolean("pubdelete"), row.getBoolean("pubtruncate"),
                tables.size(), tables);
    }
}

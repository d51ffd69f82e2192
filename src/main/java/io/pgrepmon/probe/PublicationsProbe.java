package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.snapshot.PublicationInfo;
import io.pgrepmon.snapshot.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;

/** Publications of a source from {@code pg_publication}, with how many tables each publishes. */
public final class PublicationsProbe implements Probe<List<PublicationInfo>> {

    private static final String SQL = """
            SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
                   (SELECT count(*) FROM pg_publication_tables t WHERE t.pubname = p.pubname) AS table_count
            FROM pg_publication p
            ORDER BY p.pubname
            """;

    @Override
    public String name() {
        return "publications";
    }

    @Override
    public boolean appliesTo(Role role, ServerInfo server) {
        return role == Role.SOURCE;
    }

    @Override
    public Uni<List<PublicationInfo>> read(SqlConnection connection, ServerInfo server) {
        return connection.query(SQL).execute().map(rows -> {
            List<PublicationInfo> publications = new ArrayList<>();
            rows.forEach(row -> publications.add(from(row)));
            return publications;
        });
    }

    static PublicationInfo from(Row row) {
        return new PublicationInfo(row.getString("pubname"), row.getBoolean("puballtables"), row.getBoolean("pubinsert"),
                row.getBoolean("pubupdate"), row.getBoolean("pubdelete"), row.getBoolean("pubtruncate"),
                row.getLong("table_count"));
    }
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A publication on a source with the tables it publishes ({@code schema.table}, from {@code pg_publication_tables}).
 */
@RegisterForReflection
public record PublicationInfo(String name, boolean allTables, boolean insert, boolean update, boolean delete,
                              boolean truncate, int tableCount, List<String> tables) {

    public PublicationInfo {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}

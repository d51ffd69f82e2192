package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A table that a publication sends only in part (15+): a column list, a row filter, or both. A subscriber then
 * receives less than the whole table.
 *
 * @param columns   the columns sent; empty when there is no column list (every column is sent)
 * @param omitted   the table's columns the column list leaves out; empty when it names them all
 * @param rowFilter the {@code WHERE} expression rows must match to be sent; null when every row is sent
 */
@RegisterForReflection
public record PublicationFilter(String publication, String schema, String table, List<String> columns, List<String> omitted,
                                String rowFilter) {

    public PublicationFilter {
        columns = columns == null ? List.of() : List.copyOf(columns);
        omitted = omitted == null ? List.of() : List.copyOf(omitted);
    }

    public String qualifiedName() {
        return schema + "." + table;
    }
}

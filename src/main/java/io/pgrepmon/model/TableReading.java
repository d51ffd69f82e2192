package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A user table of a source as the server describes it, and what logical replication needs of it.
 *
 * @param publications    the publications that publish it; empty means a migration would miss it
 * @param replicaIdentity default, nothing, full or index ({@code relreplident})
 * @param identityUsable  whether UPDATE and DELETE can be replicated: a primary key (identity default), an
 *                        identity index, or identity full. Without it the source rejects UPDATE and DELETE on the
 *                        table once a publication publishes them
 * @param sizeBytes       heap and TOAST pages ({@code relpages}, as of the last VACUUM or ANALYZE), no indexes: the
 *                        yardstick for initial copy progress
 * @param estimatedRows   {@code reltuples}; null before the first VACUUM or ANALYZE
 * @param partitionOf     the partitioned tables it is a partition of, nearest first ({@code schema.table}); empty for a
 *                        table that is no partition (and then left out of the JSON, which carries every table). A
 *                        subscription receives them by these names when its publication publishes through the
 *                        partition root
 */
@RegisterForReflection
public record TableReading(String schema, String name, List<String> publications, boolean hasPrimaryKey,
                           String replicaIdentity, boolean identityUsable, long sizeBytes, Long estimatedRows,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partitionOf) {

    public TableReading {
        publications = List.copyOf(publications);
        partitionOf = partitionOf == null ? List.of() : List.copyOf(partitionOf);
    }

    /** A table that is no partition. */
    public TableReading(String schema, String name, List<String> publications, boolean hasPrimaryKey,
                        String replicaIdentity, boolean identityUsable, long sizeBytes, Long estimatedRows) {
        this(schema, name, publications, hasPrimaryKey, replicaIdentity, identityUsable, sizeBytes, estimatedRows, List.of());
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}

package io.pgrepmon.snapshot;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A publication on a source and the number of tables it publishes. */
@RegisterForReflection
public record PublicationInfo(String name, boolean allTables, boolean insert, boolean update, boolean delete,
                              boolean truncate, long tableCount) {
}

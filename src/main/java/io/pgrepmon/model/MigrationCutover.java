package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The verdict of a whole migration from one source database to one target database, which usually runs over
 * several subscriptions: Ready only when every pair between the two is Ready (each pair's coverage already counts
 * the tables the others receive, so together they must cover the source).
 *
 * @param pairs the verdict of every pair between the two databases
 */
@RegisterForReflection
public record MigrationCutover(String sourceDatabase, String targetDatabase, PairCutover.Verdict verdict, String summary,
                               List<PairCutover> pairs) {

    public MigrationCutover {
        pairs = List.copyOf(pairs);
    }
}

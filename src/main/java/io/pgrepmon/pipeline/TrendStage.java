package io.pgrepmon.pipeline;

import io.pgrepmon.judge.history.History;
import io.pgrepmon.model.Snapshot;
import jakarta.inject.Singleton;

/** Stage 3: the snapshot joins the history, and the history's trends join the snapshot. */
@Singleton
public class TrendStage {

    private final History history;

    public TrendStage(History history) {
        this.history = history;
    }

    public Snapshot apply(Snapshot snapshot) {
        history.record(snapshot);
        return snapshot.withTrends(history.trends(snapshot));
    }
}

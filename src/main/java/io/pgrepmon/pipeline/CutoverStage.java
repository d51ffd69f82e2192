package io.pgrepmon.pipeline;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.CutoverEvaluator;
import io.pgrepmon.judge.cutover.DeepChecker;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.publish.SnapshotHub;
import jakarta.inject.Singleton;

import java.time.Instant;

/** Stage 4: each pair's cutover verdict, from this snapshot and the latest deep checks. */
@Singleton
public class CutoverStage {

    private final DeepChecker deepChecker;
    private final MonitorSettings.Cutover config;
    private final Instant monitorStart;

    public CutoverStage(DeepChecker deepChecker, Settings settings, SnapshotHub hub) {
        this.deepChecker = deepChecker;
        this.config = settings.get().cutover();
        this.monitorStart = hub.openedAt();
    }

    public Snapshot apply(Snapshot snapshot) {
        return snapshot.withCutover(CutoverEvaluator.evaluate(snapshot, deepChecker.results(), config, monitorStart,
                Instant.now()));
    }
}

package io.pgrepmon.pipeline;

import io.pgrepmon.assemble.SnapshotAssembler;
import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.publish.SnapshotHub;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** Stage 2: one tick's readings become one snapshot, with health and pairs. */
@Singleton
public class AssembleStage {

    private final SnapshotAssembler assembler;

    public AssembleStage(Settings settings, SnapshotHub hub) {
        MonitorSettings validated = settings.get();
        this.assembler = new SnapshotAssembler(validated.thresholds(), validated.poll().interval(), validated.pairs(),
                validated.heartbeats(), hub.openedAt());
    }

    public Snapshot assemble(List<DatabaseReading> readings, Instant takenAt, long tookMillis) {
        return assembler.assemble(readings, takenAt, tookMillis);
    }
}

package io.pgrepmon.pipeline;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.CutoverEvaluator;
import io.pgrepmon.judge.cutover.DeepChecker;
import io.pgrepmon.model.ContentProgress;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Stage 4: each pair's cutover verdict, from this snapshot and the latest deep checks. */
@Singleton
public class CutoverStage {

    private final DeepChecker deepChecker;
    private final MonitorSettings.Cutover config;
    private final Instant monitorStart;
    private final Map<String, Long> acknowledgedSkipped = new ConcurrentHashMap<>();
    private volatile Set<String> toConfirm = Set.of();
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    public CutoverStage(DeepChecker deepChecker, Settings settings, SnapshotHub hub) {
        this.deepChecker = deepChecker;
        this.config = settings.get().cutover();
        this.monitorStart = hub.openedAt();
    }

    public Snapshot apply(Snapshot snapshot) {
        Map<String, ContentProgress> progress = deepChecker.progress();
        Map<String, DeepCheck> results = deepChecker.results();
        toConfirm = CutoverEvaluator.catalogsToConfirm(snapshot, results);
        return snapshot.withCutover(CutoverEvaluator.evaluate(snapshot, results, config, monitorStart,
                        Map.copyOf(acknowledgedSkipped), Instant.now()).stream()
                .map(v -> v.withContentProgress(progress.get(v.pair()))).toList());
    }

    /**
     * The databases whose table definitions the next tick must hash for the deep results resting on them to hold:
     * Ready is never judged on a hash carried from an earlier tick.
     */
    public Set<String> catalogsToConfirm() {
        Set<String> all = new java.util.HashSet<>(toConfirm);
        for (String name : Set.copyOf(requested)) {
            requested.remove(name);
            all.add(name);
        }
        return all;
    }

    /** Has the next tick hash these databases' table definitions: a deep check of them has just finished. */
    public void confirmNextTick(Set<String> databases) {
        requested.addAll(databases);
    }

    /**
     * The operator's word that the changes the pair's conflicts skipped so far (18+) have been dealt with (the rows
     * re-synced): they no longer fail its verdict; any skipped after this do. Kept in memory only, so after a
     * restart they fail again until acknowledged again.
     *
     * @return the skipped changes acknowledged, or empty when the snapshot has no such pair
     */
    public Optional<Long> acknowledgeSkipped(Snapshot snapshot, String pair) {
        Optional<PairInfo> found = snapshot.pairs().stream().filter(p -> p.name().equals(pair)).findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DatabaseSnapshot target = snapshot.database(found.get().targetDatabase());
        long skipped = target == null ? 0 : target.subscriptions().stream()
                .filter(s -> s.name().equals(found.get().subscription()) && s.stats() != null)
                .mapToLong(s -> s.stats().skippedChanges()).sum();
        acknowledgedSkipped.put(pair, skipped);
        Log.infof("cutover: %d skipped change(s) of pair %s acknowledged by the operator", skipped, pair);
        return Optional.of(skipped);
    }
}

package io.pgrepmon.serve.web;

import io.pgrepmon.config.Settings;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Units;
import io.pgrepmon.pipeline.CutoverStage;
import io.pgrepmon.pipeline.DeepCheckJob;
import io.pgrepmon.publish.SnapshotHub;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Cutover readiness. {@code GET /api/cutover/{pair}} answers 200 only when the pair is Ready and 503 otherwise,
 * so that a migration script can wait on it: {@code until curl -fs .../api/cutover/orders; do sleep 5; done}.
 */
@Path("/api/cutover")
@Produces(MediaType.APPLICATION_JSON)
public class CutoverResource {

    private final SnapshotHub hub;
    private final DeepCheckJob deepChecks;
    private final CutoverStage cutover;
    private final Duration staleAfter;

    public CutoverResource(SnapshotHub hub, DeepCheckJob deepChecks, CutoverStage cutover, Settings settings) {
        this.hub = hub;
        this.deepChecks = deepChecks;
        this.cutover = cutover;
        this.staleAfter = settings.get().poll().staleAfter();
    }

    @GET
    @NonBlocking
    public Response all() {
        return hub.latest().map(p -> Response.ok(p.snapshot().cutover()).build()).orElseGet(SnapshotResource::noSnapshot);
    }

    @GET
    @Path("/{pair}")
    @NonBlocking
    public Response pair(@PathParam("pair") String name) {
        if (hub.latest().isEmpty()) {
            return SnapshotResource.noSnapshot();
        }
        Snapshot snapshot = hub.latest().get().snapshot();
        List<PairCutover> verdicts = snapshot.cutover();
        return verdicts.stream().filter(v -> v.pair().equals(name)).findFirst()
                .map(v -> gate(v, snapshot, staleAfter, Instant.now()))
                .orElseGet(() -> noSuchPair(snapshot));
    }

    /**
     * 200 only for a Ready verdict of a current snapshot (see {@link io.pgrepmon.config.MonitorSettings.Poll#staleAfter()}):
     * after failed ticks the last snapshot stays published, and its verdict says nothing about now.
     */
    static Response gate(PairCutover verdict, Snapshot snapshot, Duration staleAfter, Instant now) {
        Duration age = Duration.between(snapshot.takenAt(), now);
        if (age.compareTo(staleAfter) > 0) {
            return Response.status(503).header("Retry-After", "2").entity(new SnapshotResource.ApiError("stale snapshot",
                    "the latest snapshot was taken " + Units.duration(age) + " ago, later than a tick and its deadline"
                            + " can explain (" + staleAfter.toMillis() + " ms): polling has stopped or its ticks fail"
                            + " (see the monitor's log), so its verdict ("
                            + verdict.verdict().code() + ") no longer describes now")).build();
        }
        return Response.status(verdict.verdict() == PairCutover.Verdict.READY ? 200 : 503).entity(verdict).build();
    }

    private static Response noSuchPair(Snapshot snapshot) {
        return Response.status(404).entity(new SnapshotResource.ApiError("no such pair",
                "pairs: " + snapshot.cutover().stream().map(PairCutover::pair).toList())).build();
    }

    /** What an acknowledgement answers: how many skipped changes it covers. */
    public record Acknowledged(String pair, long skippedChanges) {
    }

    /**
     * Acknowledges the changes the pair's conflicts have skipped so far (18+), once the operator has re-synced the
     * rows they were for; the next snapshot's verdict no longer fails on them.
     */
    @POST
    @Path("/{pair}/acknowledge-skipped-changes")
    @NonBlocking
    public Response acknowledgeSkipped(@PathParam("pair") String name) {
        if (hub.latest().isEmpty()) {
            return SnapshotResource.noSnapshot();
        }
        Snapshot snapshot = hub.latest().get().snapshot();
        return cutover.acknowledgeSkipped(snapshot, name)
                .map(n -> Response.ok(new Acknowledged(name, n)).build())
                .orElseGet(() -> noSuchPair(snapshot));
    }

    /** Runs the deep checks now (sequences, row counts, columns); the next snapshot's verdicts include them. */
    @POST
    @Path("/deep-check")
    public Uni<List<DeepCheck>> deepCheck() {
        return deepChecks.runNow();
    }
}

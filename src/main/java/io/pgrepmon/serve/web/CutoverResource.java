package io.pgrepmon.serve.web;

import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.cutover.CutoverEvaluator;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.MigrationCutover;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Units;
import io.pgrepmon.pipeline.CutoverStage;
import io.pgrepmon.pipeline.DeepCheckJob;
import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.runtime.annotations.RegisterForReflection;
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
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Cutover readiness. {@code GET /api/cutover/{pair}} answers 200 only when the pair is Ready and 503 otherwise,
 * so that a migration script can wait on it: {@code until curl -fs .../api/cutover/orders; do sleep 5; done}.
 */
@Path("/api/cutover")
@Tag(name = "cutover", description = "Whether it is safe to stop writes and switch")
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

    @Operation(summary = "Every pair's cutover verdict with its checks")
    @APIResponse(responseCode = "200", description = "The verdicts of the latest snapshot",
            content = @Content(schema = @Schema(implementation = PairCutover.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "503", description = "No snapshot yet", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    @GET
    @NonBlocking
    public Response all() {
        return hub.latest().map(p -> Response.ok(p.snapshot().cutover()).build()).orElseGet(SnapshotResource::noSnapshot);
    }

    /**
     * The whole migration between two databases, over every subscription between them: 200 only when every pair is
     * Ready (and the snapshot is current), 503 otherwise, 404 when no pair links them.
     */
    @Operation(summary = "The whole migration between two databases: 200 only when every pair between them is Ready")
    @APIResponse(responseCode = "200", description = "Every pair Ready, the snapshot current",
            content = @Content(schema = @Schema(implementation = MigrationCutover.class)))
    @APIResponse(responseCode = "503", description = "Not ready, unknown, or the snapshot is stale",
            content = @Content(schema = @Schema(implementation = MigrationCutover.class)))
    @APIResponse(responseCode = "404", description = "No pair links them", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    @GET
    @Path("/migrations/{source}/{target}")
    @NonBlocking
    public Response migration(@PathParam("source") String source, @PathParam("target") String target) {
        if (hub.latest().isEmpty()) {
            return SnapshotResource.noSnapshot();
        }
        Snapshot snapshot = hub.latest().get().snapshot();
        MigrationCutover migration = CutoverEvaluator.migration(snapshot, source, target);
        if (migration == null) {
            return Response.status(404).entity(new SnapshotResource.ApiError("no such migration", "pairs (source -> target): "
                    + snapshot.pairs().stream().map(p -> p.sourceDatabase() + " -> " + p.targetDatabase()).distinct()
                    .toList())).build();
        }
        Response stale = stale(snapshot, staleAfter, Instant.now(), migration.verdict());
        return stale != null ? stale
                : Response.status(migration.verdict() == PairCutover.Verdict.READY ? 200 : 503).entity(migration).build();
    }

    @Operation(summary = "The cutover gate of one pair: 200 only when it is Ready", description = "A migration script"
            + " can wait on it: until curl -fs .../api/cutover/orders; do sleep 5; done")
    @APIResponse(responseCode = "200", description = "Ready, the snapshot current", content = @Content(schema = @Schema(implementation = PairCutover.class)))
    @APIResponse(responseCode = "503", description = "Not ready or unknown (with the checks), or the snapshot is stale",
            content = @Content(schema = @Schema(implementation = PairCutover.class)))
    @APIResponse(responseCode = "404", description = "No such pair", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
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
        Response stale = stale(snapshot, staleAfter, now, verdict.verdict());
        return stale != null ? stale
                : Response.status(verdict.verdict() == PairCutover.Verdict.READY ? 200 : 503).entity(verdict).build();
    }

    /** 503 "stale snapshot" when the snapshot is older than a working schedule leaves it, else null. */
    private static Response stale(Snapshot snapshot, Duration staleAfter, Instant now, PairCutover.Verdict verdict) {
        Duration age = Duration.between(snapshot.takenAt(), now);
        if (age.compareTo(staleAfter) <= 0) {
            return null;
        }
        return Response.status(503).header("Retry-After", "2").entity(new SnapshotResource.ApiError("stale snapshot",
                "the latest snapshot was taken " + Units.duration(age) + " ago, later than a tick and its deadline"
                        + " can explain (" + staleAfter.toMillis() + " ms): polling has stopped or its ticks fail"
                        + " (see the monitor's log), so its verdict (" + verdict.code() + ") no longer describes now")).build();
    }

    private static Response noSuchPair(Snapshot snapshot) {
        return Response.status(404).entity(new SnapshotResource.ApiError("no such pair",
                "pairs: " + snapshot.cutover().stream().map(PairCutover::pair).toList())).build();
    }

    /** What an acknowledgement answers: how many skipped changes it covers. */
    @RegisterForReflection
    public record Acknowledged(String pair, long skippedChanges) {
    }

    /**
     * Acknowledges the changes the pair's conflicts have skipped so far (18+), once the operator has re-synced the
     * rows they were for; the next snapshot's verdict no longer fails on them.
     */
    @Operation(summary = "Acknowledges the changes the pair's conflicts have skipped so far (PostgreSQL 18+)")
    @APIResponse(responseCode = "200", description = "What was acknowledged", content = @Content(schema = @Schema(implementation = Acknowledged.class)))
    @APIResponse(responseCode = "404", description = "No such pair", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
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

    /**
     * For a cutover script, once writes have stopped: runs every deep check of the pair now and answers with the
     * verdict they lead to on the next tick: 200 Ready, 409 not ready, 503 unknown (each with the checks), 404 no
     * such pair, 504 when they did not finish within the deep-check timeout.
     */
    @Operation(summary = "Runs every deep check of the pair now and answers with the verdict they lead to")
    @APIResponse(responseCode = "200", description = "Ready", content = @Content(schema = @Schema(implementation = PairCutover.class)))
    @APIResponse(responseCode = "409", description = "Not ready", content = @Content(schema = @Schema(implementation = PairCutover.class)))
    @APIResponse(responseCode = "503", description = "Unknown", content = @Content(schema = @Schema(implementation = PairCutover.class)))
    @APIResponse(responseCode = "404", description = "No such pair", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    @APIResponse(responseCode = "504", description = "The deep checks did not finish in time",
            content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    @POST
    @Path("/{pair}/verify")
    public Uni<Response> verify(@PathParam("pair") String name) {
        // The verdict arrives on the thread of the tick that published it; the answer is written on the request's.
        io.vertx.core.Context request = io.vertx.core.Vertx.currentContext();
        Uni<Optional<PairCutover>> answer = deepChecks.verify(name);
        if (request != null) {
            answer = answer.emitOn(command -> request.runOnContext(ignored -> command.run()));
        }
        return answer
                .map(verdict -> verdict.map(v -> Response.status(switch (v.verdict()) {
                    case READY -> 200;
                    case NOT_READY -> 409;
                    case UNKNOWN -> 503;
                }).entity(v).build()).orElseGet(() -> hub.latest().isEmpty() ? SnapshotResource.noSnapshot()
                        : noSuchPair(hub.latest().get().snapshot())))
                .onFailure(java.util.concurrent.TimeoutException.class).recoverWithItem(e -> Response.status(504)
                        .entity(new SnapshotResource.ApiError("verify timed out", e.getMessage())).build());
    }

    /** Runs the deep checks now (sequences, row counts, columns); the next snapshot's verdicts include them. */
    @Operation(summary = "Runs the deep checks of every pair now (sequences, row counts, schema, content)")
    @APIResponse(responseCode = "200", description = "What each deep check found",
            content = @Content(schema = @Schema(implementation = DeepCheck.class, type = SchemaType.ARRAY)))
    @POST
    @Path("/deep-check")
    public Uni<List<DeepCheck>> deepCheck() {
        return deepChecks.runNow();
    }
}

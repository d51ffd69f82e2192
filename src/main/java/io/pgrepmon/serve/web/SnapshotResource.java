package io.pgrepmon.serve.web;

import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.pgrepmon.model.Snapshot;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The latest snapshot as JSON: the very text the hub built once for every consumer, or with {@code ?pair=NAME} only
 * that pair's part (its databases, verdict, trends and alerts), also built once per snapshot.
 */
@Path("/api")
@Tag(name = "snapshot", description = "Everything the latest tick saw and judged")
public class SnapshotResource {

    /** The body of an error answer. */
    @RegisterForReflection
    public record ApiError(String error, String detail) {
    }

    private final SnapshotHub hub;

    public SnapshotResource(SnapshotHub hub) {
        this.hub = hub;
    }

    @GET
    @Path("/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    @Operation(summary = "The latest snapshot, or one pair's part of it", description = "The same JSON the WebSocket"
            + " /api/ws sends on every tick (/api/ws?pair=NAME for one pair's part).")
    @APIResponse(responseCode = "200", description = "The latest snapshot", content = @Content(schema = @Schema(implementation = Snapshot.class)))
    @APIResponse(responseCode = "404", description = "No such pair", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "No snapshot yet", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response snapshot(@Parameter(description = "only this pair's part: the pair, its two databases, its verdict,"
            + " trends and alerts") @QueryParam("pair") String pair) {
        return hub.latest().map(published -> {
            if (pair == null) {
                return Response.ok(published.json(), MediaType.APPLICATION_JSON_TYPE).build();
            }
            if (published.snapshot().pairs().stream().noneMatch(p -> p.name().equals(pair))) {
                return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError("no such pair", "the latest snapshot has no pair named '" + pair
                                + "': GET /api/snapshot lists them under pairs[].name")).build();
            }
            return Response.ok(hub.pairJson(published, pair), MediaType.APPLICATION_JSON_TYPE).build();
        }).orElseGet(SnapshotResource::noSnapshot);
    }

    /** The answer of every API endpoint before the first poll has finished. */
    static Response noSnapshot() {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", "2")
                .entity(new ApiError("no snapshot yet",
                        "the first poll of the configured databases has not finished; retry in a few seconds"))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}

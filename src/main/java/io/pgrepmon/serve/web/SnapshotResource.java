package io.pgrepmon.serve.web;

import io.pgrepmon.model.Overview;
import io.pgrepmon.publish.SnapshotHub;
import io.pgrepmon.publish.SnapshotHub.View;
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
 * The latest snapshot as JSON: the very text the hub built once for every consumer; with {@code ?pair=NAME} or
 * {@code ?database=NAME} only that part; and {@code /api/overview}, the fleet in a line per pair and database. Each
 * is built once per snapshot.
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
    @Operation(summary = "The latest snapshot, or one pair's or database's part of it", description = "The same JSON the"
            + " WebSocket /api/ws sends on every tick (/api/ws?pair=NAME or ?database=NAME for one part).")
    @APIResponse(responseCode = "200", description = "The latest snapshot", content = @Content(schema = @Schema(implementation = Snapshot.class)))
    @APIResponse(responseCode = "400", description = "Both pair and database given", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such pair or database", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "No snapshot yet", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response snapshot(@Parameter(description = "only this pair's part: the pair, its two databases, its verdict,"
            + " trends and alerts") @QueryParam("pair") String pair,
                             @Parameter(description = "only this database's part: the database, its pairs with their"
                                     + " verdicts, its trends and alerts") @QueryParam("database") String database) {
        if (pair != null && database != null) {
            return error(Response.Status.BAD_REQUEST, "one part at a time",
                    "give either pair=NAME or database=NAME, not both");
        }
        View view = pair != null ? View.pair(pair) : database != null ? View.database(database) : View.WHOLE;
        return answer(view);
    }

    @GET
    @Path("/overview")
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    @Operation(summary = "The fleet at a glance", description = "A line per pair (health, verdict, lag, catch-up, table"
            + " states, a lag sparkline) and per database, the summary and the active alerts: what the dashboard's"
            + " overview shows, as /api/ws?view=overview sends it on every tick.")
    @APIResponse(responseCode = "200", description = "The overview of the latest snapshot", content = @Content(schema = @Schema(implementation = Overview.class)))
    @APIResponse(responseCode = "503", description = "No snapshot yet", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response overview() {
        return answer(View.OVERVIEW);
    }

    private Response answer(View view) {
        return hub.latest().map(published -> {
            if (!view.existsIn(published.snapshot())) {
                String what = view.kind() == View.Kind.PAIR ? "pair" : "database";
                return error(Response.Status.NOT_FOUND, "no such " + what, "the latest snapshot has no " + what
                        + " named '" + view.name() + "': GET /api/overview lists them under " + what
                        + "s[].name");
            }
            return Response.ok(hub.json(published, view), MediaType.APPLICATION_JSON_TYPE).build();
        }).orElseGet(SnapshotResource::noSnapshot);
    }

    private static Response error(Response.Status status, String error, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, detail)).build();
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

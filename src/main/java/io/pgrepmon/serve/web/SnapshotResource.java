package io.pgrepmon.serve.web;

import io.pgrepmon.publish.SnapshotHub;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The latest snapshot as JSON: the very text the hub built once for every consumer. */
@Path("/api")
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
    public Response snapshot() {
        return hub.latest()
                .map(published -> Response.ok(published.json(), MediaType.APPLICATION_JSON_TYPE).build())
                .orElseGet(SnapshotResource::noSnapshot);
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

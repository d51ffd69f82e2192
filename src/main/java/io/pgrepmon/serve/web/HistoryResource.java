package io.pgrepmon.serve.web;

import io.pgrepmon.judge.history.History;
import io.pgrepmon.judge.history.Series;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The in-memory history: {@code GET /api/history} lists the series and the memory they take;
 * {@code GET /api/history?series=pair/orders/lag-bytes&window=15m} gives one series' points.
 */
@Path("/api/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "history", description = "The recent history behind the charts and trends")
public class HistoryResource {

    @RegisterForReflection
    public record Catalog(String retention, int pointsPerSeries, long bytes, List<String> series) {
    }

    @RegisterForReflection
    public record Points(String series, String window, List<Series.Point> points) {
    }

    private final History history;

    public HistoryResource(History history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Operation(summary = "The series kept (without series=), or one series' points over a window")
    @APIResponse(responseCode = "200", description = "Without series: the catalog of series (Catalog); with it: its points (Points)",
            content = @Content(schema = @Schema(oneOf = {Catalog.class, Points.class})))
    @APIResponse(responseCode = "400", description = "A window that is not a duration", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such series", content = @Content(schema = @Schema(implementation = SnapshotResource.ApiError.class)))
    public Response get(@Parameter(description = "e.g. pair/orders/lag-bytes") @QueryParam("series") String series,
                        @Parameter(description = "90s, 15m, 1h or ISO-8601; the whole retention when absent") @QueryParam("window") String window) {
        if (series == null) {
            return Response.ok(new Catalog(history.retention().toString(), history.capacity(), history.bytes(), history.names())).build();
        }
        Duration span = window == null ? history.retention() : parse(window);
        if (!history.names().contains(series)) {
            return Response.status(404).entity(new SnapshotResource.ApiError("no such series",
                    "GET /api/history lists the series; e.g. pair/<name>/lag-bytes")).build();
        }
        return Response.ok(new Points(series, span.toString(), history.points(series, span, System.currentTimeMillis()))).build();
    }

    /** "15m", "90s", "1h" or ISO-8601 ("PT15M"). */
    static Duration parse(String window) {
        try {
            String w = window.trim().toLowerCase(java.util.Locale.ROOT);
            if (w.startsWith("pt")) {
                return Duration.parse(w.toUpperCase(java.util.Locale.ROOT));
            }
            long n = Long.parseLong(w.substring(0, w.length() - 1));
            return switch (w.charAt(w.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException(w);
            };
        } catch (RuntimeException e) {
            throw new BadRequestException(Response.status(400).entity(new SnapshotResource.ApiError("bad window",
                    "window '" + window + "' is not a duration: use e.g. 90s, 15m, 1h")).type(MediaType.APPLICATION_JSON).build());
        }
    }
}

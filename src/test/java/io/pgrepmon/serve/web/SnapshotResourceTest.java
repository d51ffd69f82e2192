package io.pgrepmon.serve.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgrepmon.assemble.FleetPipelineBenchmark;
import io.pgrepmon.judge.history.History;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Summary;
import io.pgrepmon.publish.SnapshotHub;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Before the first tick there is nothing to serve: a clear 503, then the hub's JSON as is, whole or in parts. */
class SnapshotResourceTest {

    static SnapshotHub hub() {
        return new SnapshotHub(new ObjectMapper().registerModule(new JavaTimeModule()),
                new History(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
    }

    @Test
    void theOverviewAndEachPartAreBuiltOncePerSnapshotAndAnUnknownNameIsA404ThatSaysWhereTheNamesAre() {
        SnapshotHub hub = hub();
        SnapshotResource resource = new SnapshotResource(hub);
        assertThat(resource.overview().getStatus()).isEqualTo(503);
        hub.publish(FleetPipelineBenchmark.fleet(4));

        Response overview = resource.overview();
        assertThat(overview.getStatus()).isEqualTo(200);
        assertThat((String) overview.getEntity()).contains("\"pairs\":[{\"name\":\"sub_001\"", "\"passedChecks\"")
                .doesNotContain("\"tables\":[");
        assertThat(resource.overview().getEntity()).as("built once").isSameAs(overview.getEntity());

        Response database = resource.snapshot(null, "s002");
        assertThat(database.getStatus()).isEqualTo(200);
        assertThat((String) database.getEntity()).contains("\"name\":\"s002\"", "\"name\":\"sub_002\"")
                .doesNotContain("s001", "d002\",\"role");
        assertThat(resource.snapshot(null, "s002").getEntity()).isSameAs(database.getEntity());

        Response unknown = resource.snapshot(null, "nope");
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class,
                e -> assertThat(e.detail()).contains("'nope'", "/api/overview", "databases[].name"));
        assertThat(resource.snapshot("nope", null).getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class,
                e -> assertThat(e.detail()).contains("pairs[].name"));
        Response both = resource.snapshot("sub_001", "s001");
        assertThat(both.getStatus()).isEqualTo(400);
        assertThat(both.getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class,
                e -> assertThat(e.detail()).contains("pair=NAME or database=NAME"));
    }

    @Test
    void answers503WithAReasonUntilTheFirstSnapshotThenTheSnapshotJson() {
        SnapshotHub hub = hub();
        SnapshotResource resource = new SnapshotResource(hub);

        Response before = resource.snapshot(null, null);
        assertThat(before.getStatus()).isEqualTo(503);
        assertThat(before.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(before.getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class,
                e -> assertThat(e.detail()).contains("first poll"));

        hub.publish(new Snapshot(1, Instant.parse("2026-11-24T12:00:00Z"), 3, 5000, Status.HEALTHY,
                new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null), List.of(), List.of(), List.of(), List.of(), null));
        Response after = resource.snapshot(null, null);
        assertThat(after.getStatus()).isEqualTo(200);
        assertThat(after.getEntity()).isSameAs(hub.latest().orElseThrow().json());
        assertThat((String) after.getEntity()).contains("\"sequence\":1", "\"status\":\"healthy\"");
    }
}

package io.pgrepmon.serve.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.Summary;
import io.pgrepmon.publish.SnapshotHub;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Before the first tick there is nothing to serve: a clear 503, then the hub's JSON as is. */
class SnapshotResourceTest {

    @Test
    void answers503WithAReasonUntilTheFirstSnapshotThenTheSnapshotJson() {
        SnapshotHub hub = new SnapshotHub(new ObjectMapper().registerModule(new JavaTimeModule()));
        SnapshotResource resource = new SnapshotResource(hub);

        Response before = resource.snapshot(null);
        assertThat(before.getStatus()).isEqualTo(503);
        assertThat(before.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(before.getEntity()).isInstanceOfSatisfying(SnapshotResource.ApiError.class,
                e -> assertThat(e.detail()).contains("first poll"));

        hub.publish(new Snapshot(1, Instant.parse("2026-11-24T12:00:00Z"), 3, 5000, Status.HEALTHY,
                new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null), List.of(), List.of(), List.of(), List.of(), null));
        Response after = resource.snapshot(null);
        assertThat(after.getStatus()).isEqualTo(200);
        assertThat(after.getEntity()).isSameAs(hub.latest().orElseThrow().json());
        assertThat((String) after.getEntity()).contains("\"sequence\":1", "\"status\":\"healthy\"");
    }
}

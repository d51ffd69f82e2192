package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.Snapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The API's description at /q/openapi: every endpoint, and the schemas of what they answer. */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
class ApiDescriptionTests {

    @Test
    void everyEndpointAndTheMainSchemasAreDescribed() {
        JsonNode spec = Snapshots.parse(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        assertThat(spec.path("info").path("title").asText()).isEqualTo("pg-replication-monitor API");
        List<String> paths = new ArrayList<>();
        spec.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrder("/api/snapshot", "/api/overview", "/api/history", "/api/cutover",
                "/api/cutover/{pair}", "/api/cutover/migrations/{source}/{target}",
                "/api/cutover/{pair}/acknowledge-skipped-changes", "/api/cutover/{pair}/verify", "/api/cutover/deep-check");
        assertThat(spec.path("paths").path("/api/snapshot").path("get").path("responses").path("200").toString())
                .contains("#/components/schemas/Snapshot");
        assertThat(spec.path("paths").path("/api/overview").path("get").path("responses").path("200").toString())
                .contains("#/components/schemas/Overview");
        assertThat(spec.path("paths").path("/api/snapshot").path("get").path("parameters").toString()).contains("database", "pair");
        assertThat(spec.path("paths").path("/api/cutover/{pair}").path("get").path("responses").path("503").toString())
                .contains("#/components/schemas/PairCutover");
        JsonNode schemas = spec.path("components").path("schemas");
        for (String schema : new String[]{"Snapshot", "DatabaseSnapshot", "PairInfo", "PairCutover", "CutoverCheck",
                "MigrationCutover", "DeepCheck", "Catalog", "Points", "ApiError", "Overview", "PairRow", "DatabaseRow"}) {
            assertThat(schemas.has(schema)).as("schema " + schema).isTrue();
        }
        // The closed sets are their lower-case codes, as the API sends them.
        assertThat(schemas.path("Verdict").path("enum").toString()).contains("ready", "not-ready", "unknown");
    }
}

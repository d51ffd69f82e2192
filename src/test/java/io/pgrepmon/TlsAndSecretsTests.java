package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.InjectReplicationPair;
import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.Snapshots;
import io.pgrepmon.harness.SocketClient;
import io.pgrepmon.harness.TlsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS to the databases in every mode against a server with a test CA's certificate, and every way a connection
 * fails, each reported Down with a clear reason; the password used throughout (the canary) appears in no API
 * answer, health answer, WebSocket message or TRACE-level log line.
 */
@QuarkusTest
@WithTestResource(TlsResource.class)
class TlsAndSecretsTests {

    @InjectReplicationPair
    PgCluster cluster;

    @TestHTTPResource("/api/ws")
    URI socket;

    static String error(JsonNode snapshot, String name) {
        JsonNode db = database(snapshot, name);
        assertThat(db.get("reachable").asBoolean()).as(name + " should be down").isFalse();
        return db.get("error").asText();
    }

    @Test
    void eachTlsModeConnectsOrFailsWithAClearReason() {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode s = latest();
            for (String ok : new String[]{"verify-full", "verify-ca", "require"}) {
                assertThat(database(s, ok).get("reachable").asBoolean()).as(ok + ": " + database(s, ok).get("error")).isTrue();
            }
            assertThat(database(s, "wrong-host").get("lastError").isNull()).isFalse();
            seen.set(s);
        });
        JsonNode s = latest();
        // The PG client passes on no cause for a refused certificate: the error says what the mode requires.
        assertThat(error(s, "wrong-host")).contains("SSL handshake failed", "ssl-mode verify-full", "name the host '127.0.0.1'");
        assertThat(error(s, "wrong-ca")).contains("SSL handshake failed", "must chain to ssl-root-cert", "other-ca.crt");
        assertThat(error(s, "no-tls")).contains("pg_hba.conf rejects connection", "no encryption");
        assertThat(error(s, "wrong-password")).contains("password authentication failed");
        assertThat(error(s, "closed-port")).containsIgnoringCase("connection refused");
        assertThat(error(s, "unknown-host")).contains("unknown host db.pgrepmon.invalid", "does not resolve");
        assertThat(database(s, "unknown-host").get("pollMillis").asLong()).as("within its deadline").isLessThan(2000);
    }

    @Test
    void theCanaryPasswordAppearsNowhere() throws Exception {
        String canary = cluster.password();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(database(latest(), "unknown-host").get("lastError").isNull()).isFalse());
        // Several ticks of every failure at TRACE level.
        Thread.sleep(3000);
        String snapshot = given().get("/api/snapshot").then().extract().asString();
        String ready = given().get("/q/health/ready").then().extract().asString();
        String live = given().get("/q/health/live").then().extract().asString();
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pgrepmon_database_up{");
        String pushed;
        try (SocketClient client = new SocketClient(socket)) {
            pushed = client.nextRaw(Duration.ofSeconds(5));
        }
        String log = Files.readString(Path.of(TlsResource.LOG));
        assertThat(log.lines().count()).as("the log really is verbose").isGreaterThan(100);
        assertThat(pushed).isNotNull();
        // JSON, one object per line, each field of which is searched below with the rest of the line.
        List<JsonNode> records = log.lines().filter(l -> !l.isBlank()).map(Snapshots::parse).toList();
        assertThat(records).allSatisfy(r -> assertThat(r.isObject()).isTrue());
        assertThat(records).anySatisfy(r -> assertThat(r.path("level").asText()).isEqualTo("TRACE"));
        assertThat(records).as("the tick as a field").anySatisfy(r -> assertThat(r.path("mdc").path("tick").asLong()).isPositive());
        for (String text : new String[]{snapshot, ready, live, metrics, pushed, log}) {
            assertThat(text).doesNotContain(canary);
        }
    }
}

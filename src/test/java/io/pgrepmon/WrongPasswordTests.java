package io.pgrepmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.SocketClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.pgrepmon.harness.ReplicationPairResource.INTERVAL_MILLIS;
import static io.pgrepmon.harness.Snapshots.database;
import static io.pgrepmon.harness.Snapshots.latest;
import static io.pgrepmon.harness.Snapshots.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A third database configured with a wrong password: it is Down with the server's refusal as its error, the
 * password appears in no API answer, WebSocket message or log line, and the other two keep being polled.
 */
@QuarkusTest
@WithTestResource(value = ReplicationPairResource.class,
        initArgs = @ResourceArg(name = "wrongPasswordDatabase", value = WrongPasswordTests.CANARY))
class WrongPasswordTests {

    static final String CANARY = "canary-7f3a9c-Secret";

    @TestHTTPResource("/api/ws")
    URI socket;

    @Test
    void wrongPasswordIsDownWithoutLeakingItAndDoesNotDelayTheOthers() throws Exception {
        // ignoreExceptions: until the first tick, /api/snapshot answers 503.
        JsonNode snapshot = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> latest(),
                s -> database(s, "source").get("reachable").asBoolean()
                        && !database(s, "source-wrong-password").get("reachable").asBoolean());
        JsonNode wrong = database(snapshot, "source-wrong-password");
        assertThat(status(wrong)).isEqualTo("down");
        assertThat(wrong.get("error").asText()).contains("password authentication failed");
        assertThat(wrong.get("lastSuccessAt").isNull()).isTrue();
        assertThat(snapshot.get("status").asText()).isEqualTo("critical");

        // The right-password databases keep their schedule: every tick polls them, and ticks stay short.
        long first = snapshot.get("sequence").asLong();
        JsonNode later = await().atMost(Duration.ofMillis(INTERVAL_MILLIS * 6)).pollInterval(Duration.ofMillis(100))
                .until(() -> latest(), s -> s.get("sequence").asLong() - first >= 2);
        assertThat(database(later, "source").get("reachable").asBoolean()).isTrue();
        assertThat(database(later, "target").get("reachable").asBoolean()).isTrue();
        assertThat(later.get("tookMillis").asLong()).isLessThan(INTERVAL_MILLIS);

        assertThat(given().get("/api/snapshot").asString()).doesNotContain(CANARY).contains("password authentication failed");
        assertThat(given().get("/q/health").asString()).doesNotContain(CANARY);
        try (SocketClient client = new SocketClient(socket)) {
            for (int i = 0; i < 3; i++) {
                String message = client.nextRaw(Duration.ofMillis(INTERVAL_MILLIS * 3));
                assertThat(message).isNotNull().contains("source-wrong-password").doesNotContain(CANARY);
            }
        }
        Path log = Path.of("target/quarkus.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("Watching 3 database(s)").doesNotContain(CANARY);
    }
}

package io.pgrepmon;

import io.pgrepmon.harness.ReplicationPairResource;
import io.pgrepmon.harness.SocketClient;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access control switched on, with an API token and a basic-authentication user: the API and the WebSocket
 * upgrade require one of them, the health probes and the page's static files do not, a WebSocket handshake
 * from a foreign Origin is refused, and the page carries its security headers.
 */
@QuarkusTest
@WithTestResource(ReplicationPairResource.class)
@TestProfile(SecurityTests.Secured.class)
class SecurityTests {

    static final String TOKEN = "token-canary-" + Long.toHexString(System.nanoTime());
    static final String PASSWORD = "password-canary-" + Long.toHexString(System.nanoTime());

    /** Only hashes are configured; the token and password exist only in this test. */
    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "monitor.security.enabled", "true",
                    "monitor.security.token-sha256", sha256(TOKEN),
                    "monitor.security.basic.username", "ops",
                    // Cost 4 keeps the test fast; operators use 12 (--hash-password).
                    "monitor.security.basic.password-hash", BcryptUtil.bcryptHash(PASSWORD, 4),
                    "monitor.security.allowed-origins[0]", "https://ops.example.com");
        }
    }

    @TestHTTPResource("/api/ws")
    URI socket;

    @TestHTTPResource("/")
    URI page;

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void apiRequiresTheTokenOrTheBasicUser() {
        Response anonymous = given().get("/api/snapshot");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic realm=\"pg-replication-monitor\"");
        assertThat(anonymous.body().asString()).doesNotContain("databases");

        assertThat(given().header("Authorization", "Bearer wrong-" + TOKEN).get("/api/snapshot").statusCode()).isEqualTo(401);
        assertThat(given().header("Authorization", basic("ops", "wrong")).get("/api/snapshot").statusCode()).isEqualTo(401);
        assertThat(given().header("Authorization", basic("someone", PASSWORD)).get("/api/snapshot").statusCode()).isEqualTo(401);
        assertThat(given().header("Authorization", "Basic not-base64!").get("/api/snapshot").statusCode()).isEqualTo(401);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/snapshot").statusCode()).isEqualTo(200));
        Response withBasic = given().header("Authorization", basic("ops", PASSWORD)).get("/api/snapshot");
        assertThat(withBasic.statusCode()).isEqualTo(200);
        assertThat(withBasic.body().asString()).contains("\"databases\"");
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredEverSlowerAndTheLogSaysSoWithoutTheCredential() throws Exception {
        // A success first: whatever the other tests failed from this address is forgotten.
        assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/history").statusCode()).isEqualTo(200);
        String guess = "guess-" + Long.toHexString(System.nanoTime());
        java.util.List<Long> millis = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            assertThat(given().header("Authorization", "Bearer " + guess + i).get("/api/history").statusCode()).isEqualTo(401);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        // The first three are free; then 250, 500, 1000 ms at least.
        assertThat(millis.get(3)).isGreaterThanOrEqualTo(250);
        assertThat(millis.get(4)).isGreaterThanOrEqualTo(500);
        assertThat(millis.get(5)).isGreaterThanOrEqualTo(1000);
        String log = Files.readString(Path.of("target/quarkus.log"));
        assertThat(log).containsPattern("5 failed authentications from \\S+ within 10 min: each further attempt from there"
                + " waits 1000 ms").doesNotContain(guess);
        // The right token is answered, and clears the count.
        assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/history").statusCode()).isEqualTo(200);
    }

    /** Prometheus scrapes with the token as a Bearer; without it the metrics are refused like the API. */
    @Test
    void metricsRequireTheTokenAsTheApiDoes() {
        Response anonymous = given().get("/q/metrics");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body().asString()).doesNotContain("pgrepmon_");
        assertThat(given().header("Authorization", "Bearer " + TOKEN + "-wrong").get("/q/metrics").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response scrape = given().header("Authorization", "Bearer " + TOKEN).get("/q/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body().asString()).contains("pgrepmon_database_up{");
        });
        assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void healthProbesAndThePageItselfStayOpenWithSecurityHeaders() {
        assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(given().get("/q/health/ready").statusCode()).isIn(200, 503);
        Response index = given().get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        String csp = index.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'").doesNotContain("unsafe-inline");
        assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(index.header("X-Frame-Options")).isEqualTo("DENY");
        // The bundle built at build time (Tailwind CSS, the script, the icons) is served by the application itself:
        // no CDN, and no inline script that the CSP would block.
        String html = index.body().asString();
        Matcher script = Pattern.compile("<script[^>]*src=\"(/static/bundle/app-[^\"]+\\.js)\"").matcher(html);
        Matcher style = Pattern.compile("<link[^>]*href=\"(/static/bundle/app-[^\"]+\\.css)\"").matcher(html);
        assertThat(script.find()).as("bundled script in %s", html).isTrue();
        assertThat(style.find()).as("bundled stylesheet in %s", html).isTrue();
        assertThat(html).doesNotContainPattern("<script(?![^>]*src=)").doesNotContain("http://", "https://");
        assertThat(given().get(script.group(1)).statusCode()).isEqualTo(200);
        assertThat(given().get(style.group(1)).statusCode()).isEqualTo(200);
        assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/snapshot").header("X-Content-Type-Options"))
                .isEqualTo("nosniff");
    }

    @Test
    void webSocketUpgradeIsAuthenticatedAndChecksTheOrigin() {
        assertThat(SocketClient.handshakeStatus(socket, Map.of())).as("no credentials").isEqualTo(401);
        assertThat(SocketClient.handshakeStatus(socket, Map.of("Authorization", "Bearer nope"))).isEqualTo(401);
        assertThat(SocketClient.handshakeStatus(socket, Map.of("Authorization", "Bearer " + TOKEN,
                "Origin", "https://evil.example"))).as("cross-site WebSocket hijacking").isEqualTo(403);
        assertThat(SocketClient.handshakeStatus(socket, Map.of("Authorization", "Bearer " + TOKEN,
                "Origin", "https://ops.example.com"))).as("allow-listed origin").isEqualTo(101);
        String ownOrigin = "http://" + page.getHost() + ":" + page.getPort();
        assertThat(SocketClient.handshakeStatus(socket, Map.of("Authorization", basic("ops", PASSWORD),
                "Origin", ownOrigin))).as("the page's own origin").isEqualTo(101);

        // What the dashboard does: a browser cannot set headers on a WebSocket, so the token rides as a sub-protocol.
        try (SocketClient browserLike = new SocketClient(socket, Map.of("Origin", ownOrigin), "pgrepmon",
                "quarkus-http-upgrade#Authorization#Bearer%20" + TOKEN)) {
            assertThat(browserLike.subprotocol()).isEqualTo("pgrepmon");
            assertThat(browserLike.next(Duration.ofSeconds(10)).get("sequence").asLong()).isPositive();
        }
    }

    @Test
    void neitherTheTokenNorThePasswordIsLogged() throws Exception {
        given().header("Authorization", "Bearer " + TOKEN).get("/api/snapshot");
        given().header("Authorization", "Bearer wrong-" + TOKEN).get("/api/snapshot");
        given().header("Authorization", basic("ops", PASSWORD)).get("/api/snapshot");
        SocketClient.handshakeStatus(socket, Map.of("Authorization", "Bearer " + TOKEN, "Origin", "https://evil.example"));
        String log = Files.readString(Path.of("target/quarkus.log"));
        assertThat(log).contains("Access control on");
        assertThat(log).doesNotContain(TOKEN).doesNotContain(PASSWORD).doesNotContain(sha256(TOKEN));
    }
}

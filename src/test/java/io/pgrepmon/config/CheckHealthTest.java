package io.pgrepmon.config;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --check-health URL}: the container health check of images that have no curl. */
class CheckHealthTest {

    @Test
    void healthyOnlyWhenTheUrlAnswers200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/up", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(Main.checkHealth(base + "/up")).isZero();
            assertThat(Main.checkHealth(base + "/down")).isEqualTo(1);
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(Main.checkHealth("http://127.0.0.1:" + closed + "/q/health/live")).isEqualTo(1);
        assertThat(Main.checkHealth("not a url")).isEqualTo(1);
    }
}

package io.pgrepmon.harness;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (the JDK's) that queues every text message it receives. */
public final class SocketClient implements AutoCloseable {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
    private final WebSocket socket;

    public SocketClient(URI uri) {
        this(uri, java.util.Map.of());
    }

    /** Connects with extra handshake headers (Authorization, Origin) and, if given, sub-protocols to offer. */
    public SocketClient(URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        this.socket = builder(headers, subprotocols).buildAsync(ws(uri), listener()).join();
    }

    /** The HTTP status of a handshake: 101 when upgraded, else what the server answered (401, 403...). */
    public static int handshakeStatus(URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        try {
            WebSocket socket = builder(headers, subprotocols).buildAsync(ws(uri), new WebSocket.Listener() { }).join();
            socket.abort();
            return 101;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** The sub-protocol the server chose, empty if none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    private static WebSocket.Builder builder(java.util.Map<String, String> headers, String... subprotocols) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder;
    }

    private static URI ws(URI uri) {
        return URI.create(uri.toString().replaceFirst("^http", "ws"));
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }
        };
    }

    /** The close code the server sent, failing if it did not close in time. */
    public int closeCode(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message as JSON, failing if none arrives in time. */
    public JsonNode next(Duration timeout) {
        try {
            String message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no WebSocket message within " + timeout);
            }
            return Snapshots.parse(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Raw text of the next message, or null if none arrives in time. */
    public String nextRaw(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}

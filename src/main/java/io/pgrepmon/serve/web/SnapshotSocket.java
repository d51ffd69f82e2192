package io.pgrepmon.serve.web;

import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code /api/ws}: the latest snapshot on connect, then every new one, as the JSON of {@code /api/snapshot}; with
 * {@code ?pair=NAME}, only that pair's part of each, as {@code /api/snapshot?pair=NAME} gives it.
 * There is no {@code @OnClose}: the fanout drops closed connections itself. A close callback can be dispatched after
 * shutdown has released the context manager, and Quarkus then logs an error (seen in PackagedAppIT).
 */
@WebSocket(path = "/api/ws")
public class SnapshotSocket {

    private final SnapshotFanout fanout;

    public SnapshotSocket(SnapshotFanout fanout) {
        this.fanout = fanout;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        fanout.join(connection, pairOf(connection.handshakeRequest().query()));
    }

    /** {@code pair=NAME} of the query string ({@code /api/ws?pair=orders}), or null when it names none. */
    static String pairOf(String query) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("pair=") && part.length() > 5) {
                return java.net.URLDecoder.decode(part.substring(5), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

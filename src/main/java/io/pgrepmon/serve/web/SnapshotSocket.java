package io.pgrepmon.serve.web;

import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code /api/ws}: the latest snapshot on connect, then every new one, as the JSON of {@code /api/snapshot}.
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
        fanout.join(connection);
    }
}

package io.pgrepmon.serve.web;

import io.pgrepmon.publish.SnapshotHub.View;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code /api/ws}: the latest snapshot on connect, then every new one, as the JSON of {@code /api/snapshot}; with
 * {@code ?view=overview} the fleet's overview ({@code /api/overview}); with {@code ?pair=NAME} or
 * {@code ?database=NAME} only that part of each, as {@code /api/snapshot?pair=NAME} gives it.
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
        fanout.join(connection, viewOf(connection.handshakeRequest().query()));
    }

    /**
     * What the query string asks for: {@code view=overview}, {@code pair=NAME} or {@code database=NAME}; the whole
     * snapshot when it asks for none of them. A part of a pair or database the snapshot lacks is empty, not an error:
     * a pair may appear later (its subscription being created).
     */
    static View viewOf(String query) {
        if (query == null) {
            return View.WHOLE;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            if (eq < 0 || eq == part.length() - 1) {
                continue;
            }
            String value = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            switch (part.substring(0, eq)) {
                case "pair":
                    return View.pair(value);
                case "database":
                    return View.database(value);
                case "view":
                    if (value.equals("overview")) {
                        return View.OVERVIEW;
                    }
                    break;
                default:
                    break;
            }
        }
        return View.WHOLE;
    }
}

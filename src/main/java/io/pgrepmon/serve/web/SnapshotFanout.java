package io.pgrepmon.serve.web;

import io.pgrepmon.publish.SnapshotHub;
import io.pgrepmon.publish.SnapshotHub.Published;
import io.pgrepmon.publish.SnapshotHub.View;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the hub's snapshots to every WebSocket client. Each client has at most one send in flight and one
 * snapshot waiting; a newer snapshot replaces the waiting one, so a client that reads slowly gets the latest
 * state when it is ready, never a growing backlog, and never holds up the others.
 */
@ApplicationScoped
public class SnapshotFanout {

    private final SnapshotHub hub;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    public SnapshotFanout(SnapshotHub hub) {
        this.hub = hub;
    }

    void start(@Observes StartupEvent event) {
        hub.updates().subscribe().with(this::broadcast);
    }

    void stop(@Observes ShutdownEvent event) {
        clients.values().forEach(client -> client.connection.close(new CloseReason(1001, "monitor shutting down"))
                .subscribe().with(ignored -> { }, ignored -> { }));
        clients.clear();
    }

    /**
     * Registers a new client and replays the latest snapshot to it.
     *
     * @param view what it receives of each snapshot ({@link SnapshotHub#json(Published, View)})
     */
    void join(WebSocketConnection connection, View view) {
        Client client = new Client(connection, view);
        clients.put(connection.id(), client);
        hub.latest().ifPresent(client::offer);
    }

    /** Snapshots waiting to be sent, over all clients: at most one each, whatever a client's reading speed. */
    public int waitingSnapshots() {
        return (int) clients.values().stream().filter(client -> client.waiting.get() != null).count();
    }

    public int clientCount() {
        return clients.size();
    }

    private void broadcast(Published published) {
        // Closed connections leave here, on the next snapshot (see SnapshotSocket for why not in a close callback).
        clients.values().removeIf(client -> client.connection.isClosed());
        clients.values().forEach(client -> client.offer(published));
    }

    private final class Client {
        private final WebSocketConnection connection;
        private final View view;
        private final AtomicReference<Published> waiting = new AtomicReference<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private volatile long lastOffered = -1;

        Client(WebSocketConnection connection, View view) {
            this.connection = connection;
            this.view = view;
        }

        void offer(Published published) {
            // The replay on join may race with a broadcast: never let an older snapshot follow a newer one.
            synchronized (this) {
                if (published.snapshot().sequence() <= lastOffered) {
                    return;
                }
                lastOffered = published.snapshot().sequence();
                waiting.set(published);
            }
            drain();
        }

        private void drain() {
            while (waiting.get() != null && sending.compareAndSet(false, true)) {
                Published next = waiting.getAndSet(null);
                if (next == null) {
                    sending.set(false);
                    continue;
                }
                connection.sendText(hub.json(next, view)).subscribe().with(
                        ignored -> {
                            sending.set(false);
                            drain();
                        },
                        failure -> {
                            sending.set(false);
                            if (connection.isClosed()) {
                                clients.remove(connection.id());
                            } else {
                                Log.debugf("WebSocket send to %s failed: %s", connection.id(), failure.getMessage());
                            }
                        });
                return;
            }
        }
    }
}

package io.pgrepmon.db;

import io.pgrepmon.config.Settings;
import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Singleton;

import java.util.List;

/** One client per configured database, made once; closed at shutdown by whoever stops polling. */
@Singleton
public class DatabaseClients {

    private final List<DatabaseClient> clients;

    public DatabaseClients(Settings settings, Vertx vertx) {
        ConnectGate gate = new ConnectGate(settings.get().poll().connectConcurrency());
        this.clients = settings.get().databases().stream()
                .map(db -> new DatabaseClient(db, settings.get().poll(), vertx, gate)).toList();
    }

    public List<DatabaseClient> all() {
        return clients;
    }

    /** Closing is asynchronous; Quarkus closes Vert.x afterwards, which waits for the pools to finish closing. */
    public void close() {
        clients.forEach(client -> client.close().subscribe().with(ignored -> { },
                e -> Log.debugf("closing pool of %s: %s", client.settings().name(), client.settings().redact(e.getMessage()))));
    }
}

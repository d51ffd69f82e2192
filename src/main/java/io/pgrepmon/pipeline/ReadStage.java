package io.pgrepmon.pipeline;

import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClients;
import io.pgrepmon.probe.DatabaseReader;
import io.pgrepmon.probe.DatabaseReading;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;

/** Stage 1: every database read at once, each under its own deadline; a slow one never holds up the others. */
@Singleton
public class ReadStage {

    private final DatabaseClients clients;
    private final DatabaseReader reader;

    public ReadStage(DatabaseClients clients, Settings settings) {
        this.clients = clients;
        this.reader = new DatabaseReader(settings.get().poll().queryTimeout(), settings.get().poll().catalogInterval());
    }

    /** @param hashTables the databases whose table definitions are hashed this tick whatever their counters say */
    public Uni<List<DatabaseReading>> read(Set<String> hashTables) {
        return Uni.join().all(clients.all().stream()
                .map(c -> reader.read(c, hashTables.contains(c.settings().name()))).toList()).andCollectFailures();
    }
}

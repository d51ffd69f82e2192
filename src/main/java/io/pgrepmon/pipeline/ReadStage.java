package io.pgrepmon.pipeline;

import io.pgrepmon.config.Settings;
import io.pgrepmon.db.DatabaseClients;
import io.pgrepmon.probe.DatabaseReader;
import io.pgrepmon.probe.DatabaseReading;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;

/** Stage 1: every database read at once, each under its own deadline; a slow one never holds up the others. */
@Singleton
public class ReadStage {

    private final DatabaseClients clients;
    private final DatabaseReader reader;

    public ReadStage(DatabaseClients clients, Settings settings) {
        this.clients = clients;
        this.reader = new DatabaseReader(settings.get().poll().queryTimeout());
    }

    public Uni<List<DatabaseReading>> read() {
        return Uni.join().all(clients.all().stream().map(reader::read).toList()).andCollectFailures();
    }
}

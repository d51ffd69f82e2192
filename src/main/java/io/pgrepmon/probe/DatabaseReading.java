package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.model.ProbeReport;
import io.pgrepmon.model.ServerInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one poll of one database produced, before anything is judged of it: each probe's rows, keyed by the
 * probe's class. A probe that did not apply or failed has no rows; its report (or its lack of one) says which.
 *
 * @param server        null when the database could not be reached; {@code error} says why
 * @param catalogReadAt when the catalog probes' rows were read (an earlier tick's, while the catalog is unchanged);
 *                      null when none was read
 */
public record DatabaseReading(DatabaseSettings database, Instant polledAt, long millis, ServerInfo server, String error,
                              List<ProbeReport> probes, Map<Class<?>, List<?>> rows, Instant catalogReadAt) {

    public DatabaseReading {
        probes = List.copyOf(probes);
        rows = Map.copyOf(rows);
    }

    public static DatabaseReading unreachable(DatabaseSettings database, Instant polledAt, long millis, String error) {
        return new DatabaseReading(database, polledAt, millis, null, error, List.of(), Map.of(), null);
    }

    public boolean reachable() {
        return server != null;
    }

    /**
     * When the answer came: the latest moment what it read can stand for. A change it shows happened before then,
     * so a clock of "unchanged since" set from it never claims a quiet time longer than the truth.
     */
    public Instant answeredAt() {
        return polledAt.plusMillis(millis);
    }

    /** What a probe read here; empty when it did not apply or failed. */
    @SuppressWarnings("unchecked") // the reader stores each probe's rows under its own class
    public <T> List<T> rows(Class<? extends Probe<T>> probe) {
        return (List<T>) rows.getOrDefault(probe, List.of());
    }

    /** Whether a probe ran here and answered: its rows are the server's whole answer, not a gap. */
    public boolean answered(Class<? extends Probe<?>> probe) {
        return rows.containsKey(probe);
    }
}

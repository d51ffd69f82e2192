package io.pgrepmon.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrepmon.model.Snapshot;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single owner of the latest snapshot. Each snapshot is serialized to JSON once, here, and that same text
 * serves the REST API, every WebSocket client and the replay to clients that connect later.
 */
@Singleton
public class SnapshotHub {

    /**
     * A snapshot with its JSON, built once, and the JSON of each pair's part ({@link Snapshot#forPair}) built once
     * when first asked for.
     */
    public record Published(Snapshot snapshot, String json, Map<String, String> pairJson) {

        public Published(Snapshot snapshot, String json) {
            this(snapshot, json, new ConcurrentHashMap<>());
        }
    }

    private final ObjectMapper mapper;
    private final Instant openedAt = Instant.now();
    private final AtomicReference<Published> latest = new AtomicReference<>();
    private final BroadcastProcessor<Published> updates = BroadcastProcessor.create();

    public SnapshotHub(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void publish(Snapshot snapshot) {
        Published published = new Published(snapshot, serialize(snapshot));
        latest.set(published);
        updates.onNext(published);
    }

    /** The JSON of one pair's part of a published snapshot, serialized once for all who ask for that pair. */
    public String pairJson(Published published, String pair) {
        return published.pairJson().computeIfAbsent(pair, p -> serialize(published.snapshot().forPair(p)));
    }

    private String serialize(Snapshot snapshot) {
        try {
            return mapper.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            // Records of strings, numbers and instants always serialize; if one does not, it is a bug worth failing the tick.
            throw new IllegalStateException("snapshot " + snapshot.sequence() + " could not be serialized", e);
        }
    }

    /**
     * When the hub was made, at start-up (the poll job needs it then): the monitor's start, the reference for
     * what has been observed since and for liveness until the first snapshot.
     */
    public Instant openedAt() {
        return openedAt;
    }

    /** The latest snapshot, empty until the first tick has finished. */
    public Optional<Published> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** Every snapshot published from now on (not the current one: see {@link #latest()}). */
    public Multi<Published> updates() {
        return updates;
    }

    /** Ends the stream of updates, at shutdown. */
    public void complete() {
        updates.onComplete();
    }
}

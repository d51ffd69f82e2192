package io.pgrepmon.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrepmon.judge.history.History;
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
     * A snapshot with its JSON, built once, and the JSON of each other view of it ({@link View}) built once when
     * first asked for.
     */
    public record Published(Snapshot snapshot, String json, Map<View, String> parts) {

        public Published(Snapshot snapshot, String json) {
            this(snapshot, json, new ConcurrentHashMap<>());
        }
    }

    /** What a client receives of each snapshot: all of it, the fleet's overview, or one pair's or database's part. */
    public record View(Kind kind, String name) {

        public static final View WHOLE = new View(Kind.WHOLE, null);
        public static final View OVERVIEW = new View(Kind.OVERVIEW, null);

        public enum Kind { WHOLE, OVERVIEW, PAIR, DATABASE }

        public static View pair(String name) {
            return new View(Kind.PAIR, name);
        }

        public static View database(String name) {
            return new View(Kind.DATABASE, name);
        }

        /** Whether the snapshot has what this view is about (a view of a pair or database it does not know has nothing). */
        public boolean existsIn(Snapshot snapshot) {
            return switch (kind) {
                case WHOLE, OVERVIEW -> true;
                case PAIR -> snapshot.pairs().stream().anyMatch(p -> p.name().equals(name));
                case DATABASE -> snapshot.database(name) != null;
            };
        }
    }

    private final ObjectMapper mapper;
    private final History history;
    private final Instant openedAt = Instant.now();
    private final AtomicReference<Published> latest = new AtomicReference<>();
    private final BroadcastProcessor<Published> updates = BroadcastProcessor.create();

    public SnapshotHub(ObjectMapper mapper, History history) {
        this.mapper = mapper;
        this.history = history;
    }

    public void publish(Snapshot snapshot) {
        Published published = new Published(snapshot, serialize(snapshot));
        latest.set(published);
        updates.onNext(published);
    }

    /** The JSON of one view of a published snapshot, serialized once for all who ask for that view. */
    public String json(Published published, View view) {
        if (view.kind() == View.Kind.WHOLE) {
            return published.json();
        }
        return published.parts().computeIfAbsent(view, v -> serialize(published.snapshot().sequence(), switch (v.kind()) {
            case OVERVIEW -> OverviewBuilder.build(published.snapshot(), history);
            case PAIR -> published.snapshot().forPair(v.name());
            case DATABASE -> published.snapshot().forDatabase(v.name());
            case WHOLE -> published.snapshot();
        }));
    }

    private String serialize(Snapshot snapshot) {
        return serialize(snapshot.sequence(), snapshot);
    }

    private String serialize(long sequence, Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            // Records of strings, numbers and instants always serialize; if one does not, it is a bug worth failing the tick.
            throw new IllegalStateException("snapshot " + sequence + " could not be serialized", e);
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

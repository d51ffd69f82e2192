package io.pgrepmon.assemble;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per key, a value and since when it has been unchanged: how long a table has been in its state, a
 * walsender's confirmed position has stood still, a slot has been inactive. Keys start with the database name and
 * a NUL; entries of a database polled successfully but not seen in that poll are forgotten by {@link #sweep}, while
 * those of an unreachable database are kept for when it returns.
 */
final class ChangeClock<V> {

    private record Seen<V>(V value, Instant since, long tick) {
    }

    private final Map<String, Seen<V>> seen = new ConcurrentHashMap<>();

    static String key(String database, String... parts) {
        return database + '\u0000' + String.join("\u0000", parts);
    }

    static String databaseOf(String key) {
        return key.substring(0, key.indexOf('\u0000'));
    }

    /** Records the value seen at this tick and returns since when it has been the same. */
    Instant since(String key, V value, Instant now, long tick) {
        Seen<V> next = seen.compute(key, (k, old) -> old != null && Objects.equals(old.value(), value)
                ? new Seen<>(value, old.since(), tick) : new Seen<>(value, now, tick));
        return next.since();
    }

    /** Forgets entries of the given (reachable) databases that were not seen at this tick. */
    void sweep(Set<String> reachableDatabases, long tick) {
        seen.entrySet().removeIf(e -> e.getValue().tick() != tick
                && reachableDatabases.contains(databaseOf(e.getKey())));
    }
}

package io.pgrepmon.serve.security;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after {@link #FREE} failed authentications from one client address within {@link #WINDOW_MILLIS},
 * each further failure from there is answered only after a delay that doubles with every failure, up to
 * {@link #MAX_DELAY_MILLIS}. A success answers at once and clears the address's count, so a user who mistyped is
 * never held up once right, and a correct credential is never delayed by someone else's failures from the same
 * address (a proxy's).
 */
@ApplicationScoped
public class AuthThrottle {

    static final int FREE = 3;
    static final long WINDOW_MILLIS = 10 * 60_000;
    static final long FIRST_DELAY_MILLIS = 250;
    static final long MAX_DELAY_MILLIS = 8_000;
    /** Beyond this many addresses, those whose window has passed are forgotten. */
    static final int TRACKED = 10_000;

    private record Failures(int count, long firstAt) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Records a failure from the address; returns how long to hold its answer, in milliseconds. */
    public long failed(String address, long nowMillis) {
        if (failures.size() > TRACKED) {
            failures.values().removeIf(f -> nowMillis - f.firstAt() > WINDOW_MILLIS);
        }
        Failures now = failures.compute(address, (a, f) -> f == null || nowMillis - f.firstAt() > WINDOW_MILLIS
                ? new Failures(1, nowMillis) : new Failures(f.count() + 1, f.firstAt()));
        long delay = delay(now.count());
        // Said once per doubling, never with the credential: enough to see a guessing attempt in the log.
        if (delay > 0 && (delay == FIRST_DELAY_MILLIS || delay(now.count() - 1) != delay)) {
            Log.warnf("%d failed authentications from %s within %d min: each further failure from there is answered"
                    + " after %d ms", now.count(), address, WINDOW_MILLIS / 60_000, delay);
        }
        return delay;
    }

    /** A success from the address: its failures are forgotten. */
    public void succeeded(String address) {
        failures.remove(address);
    }

    static long delay(int failures) {
        if (failures <= FREE) {
            return 0;
        }
        int doublings = Math.min(failures - FREE - 1, 20);
        return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << doublings);
    }

    int tracked() {
        return failures.size();
    }
}

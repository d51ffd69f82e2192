package io.pgrepmon.serve.security;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing: after {@link #FREE} failed authentications from one client within {@link #WINDOW_MILLIS},
 * each further attempt from there waits before its credential is even checked, and the attempts are spaced: two sent
 * at once wait one after the other, so parallel guessing gains nothing. The wait doubles with every failure, up to
 * {@link #MAX_DELAY_MILLIS}. A success clears the count. A client is its address, an IPv6 one by its /64 (what one
 * host usually holds). At most {@link #TRACKED} clients are remembered, the least recently seen dropped first.
 */
@ApplicationScoped
public class AuthThrottle {

    static final int FREE = 3;
    static final long WINDOW_MILLIS = 10 * 60_000;
    static final long FIRST_DELAY_MILLIS = 250;
    static final long MAX_DELAY_MILLIS = 8_000;
    static final int TRACKED = 10_000;

    private static final class Failures {
        int count;
        long firstAt;
        long nextAt;

        Failures(long now) {
            firstAt = now;
            nextAt = now;
        }
    }

    private final Map<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > TRACKED;
        }
    };

    /** How long an attempt from this address waits before its credential is checked, in milliseconds. */
    public synchronized long admit(String address, long nowMillis) {
        Failures f = current(client(address), nowMillis);
        if (f == null || f.count < FREE) {
            return 0;
        }
        long start = Math.max(nowMillis, f.nextAt) + delay(f.count + 1);
        f.nextAt = start;
        return start - nowMillis;
    }

    /** Records a failure from the address; returns the wait its next attempt will have, in milliseconds. */
    public synchronized long failed(String address, long nowMillis) {
        String client = client(address);
        Failures f = current(client, nowMillis);
        if (f == null) {
            f = new Failures(nowMillis);
            failures.put(client, f);
        }
        f.count++;
        long next = delay(f.count + 1);
        // Said once per doubling, never with the credential: enough to see a guessing attempt in the log.
        if (next > 0 && next != delay(f.count)) {
            Log.warnf("%d failed authentications from %s within %d min: each further attempt from there waits %d ms",
                    f.count, client, WINDOW_MILLIS / 60_000, next);
        }
        return next;
    }

    /** A success from the address: its failures are forgotten. */
    public synchronized void succeeded(String address) {
        failures.remove(client(address));
    }

    private Failures current(String client, long nowMillis) {
        Failures f = failures.get(client);
        if (f != null && nowMillis - f.firstAt > WINDOW_MILLIS) {
            failures.remove(client);
            return null;
        }
        return f;
    }

    /** An IPv4 address as it is; an IPv6 one by its first four groups (its /64). */
    static String client(String address) {
        if (address == null || !address.contains(":")) {
            return address;
        }
        try {
            // A literal address: parsed, never looked up.
            String full = java.net.InetAddress.getByName(address).getHostAddress().replaceFirst("%.*$", "");
            String[] groups = full.split(":");
            return groups.length < 4 ? full : String.join(":", java.util.Arrays.copyOf(groups, 4)) + "::/64";
        } catch (java.net.UnknownHostException | SecurityException e) {
            return address;
        }
    }

    /** The wait of the n-th attempt since the first failure: none for the first {@link #FREE} + 1, then doubling. */
    static long delay(int attempt) {
        if (attempt <= FREE) {
            return 0;
        }
        int doublings = Math.min(attempt - FREE - 1, 20);
        return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << doublings);
    }

    synchronized int tracked() {
        return failures.size();
    }
}

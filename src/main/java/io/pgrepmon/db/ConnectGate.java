package io.pgrepmon.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds the connection attempts in flight at once over every monitored database. A connection costs both sides
 * CPU (TLS, and SCRAM's PBKDF2 on each side): hundreds started together all finish late, past their deadline,
 * where the same attempts taken a few at a time connect one after another. Those waiting here are not stuck, so
 * the read that waits is not abandoned (see {@link DatabaseClient}).
 *
 * <p>Written here because Vert.x offers no waitable counter (its shared-data locks are exclusive and its counters
 * cannot be waited on), and Mutiny has none either.
 */
public final class ConnectGate {

    private final int permits;
    private final Deque<Promise<Permit>> waiting = new ArrayDeque<>();
    private int inUse;

    /** @param permits connection attempts allowed in flight at once (monitor.connect-concurrency) */
    public ConnectGate(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.permits = permits;
    }

    /** A permit, granted now or when one is released; a waiter that gives up cancels it with {@link #cancel}. */
    public Future<Permit> acquire(Promise<Permit> promise) {
        synchronized (this) {
            if (inUse >= permits) {
                waiting.add(promise);
                return promise.future();
            }
            inUse++;
        }
        promise.complete(new Permit());
        return promise.future();
    }

    /** Withdraws a waiter that has not been granted a permit yet; true if it was still waiting. */
    public synchronized boolean cancel(Promise<Permit> promise) {
        return waiting.remove(promise);
    }

    public synchronized int inUse() {
        return inUse;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    private void release() {
        Promise<Permit> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
                return;
            }
        }
        // The released permit passes straight to the next waiter: inUse is unchanged.
        next.complete(new Permit());
    }

    /** One connection attempt's place; released once, whatever the attempt's end. */
    public final class Permit {
        private boolean released;

        public void release() {
            synchronized (ConnectGate.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            ConnectGate.this.release();
        }
    }
}

package io.pgrepmon.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real server, switchable between forwarding and refusing (accept, then
 * close at once), and able to cut every connection it carries: a database that flaps. Counts how many upstream
 * connections were open at once, the client's pool size seen from the wire, and how many it accepted. It can also
 * hold each of the server's replies back for a while: a database that answers, slowly.
 */
public final class FlakyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    /** Live proxied connections, each a client socket and its upstream socket. */
    private final Set<Socket[]> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean forwarding = true;
    private volatile long replyDelayMillis;

    public FlakyProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "flaky-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void forwarding(boolean on) {
        forwarding = on;
    }

    /** Cuts every connection in flight, as a network reset would. */
    public void cutAll() {
        for (Socket[] link : links) {
            links.remove(link);
            closeQuietly(link[0]);
            closeQuietly(link[1]);
        }
    }

    public int maxOpen() {
        return maxOpen.get();
    }

    /** Connections forwarded to the server so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Passes on what the server sends this long after it arrived (0: at once), as a slow link would. */
    public void delayReplies(java.time.Duration delay) {
        replyDelayMillis = delay.toMillis();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!forwarding) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                accepted.incrementAndGet();
                Socket[] link = {client, upstream};
                links.add(link);
                maxOpen.accumulateAndGet(links.size(), Math::max);
                Runnable done = () -> {
                    links.remove(link);
                    closeQuietly(client);
                    closeQuietly(upstream);
                };
                pump(client, upstream, done, () -> 0L);
                pump(upstream, client, done, () -> replyDelayMillis);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}; each chunk is passed on {@code delayMillis} after it arrived, as on a link
     * with that latency (chunks that arrive together leave together: the delays do not add up).
     */
    private static void pump(Socket from, Socket to, Runnable done, java.util.function.LongSupplier delayMillis) {
        java.util.concurrent.BlockingQueue<Object[]> chunks = new java.util.concurrent.LinkedBlockingQueue<>();
        byte[] end = new byte[0];
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    chunks.add(new Object[] {System.nanoTime() + delayMillis.getAsLong() * 1_000_000, java.util.Arrays.copyOf(buffer, n)});
                }
            } catch (IOException ignored) {
                // the other side is gone: end both
            } finally {
                chunks.add(new Object[] {0L, end});
            }
        }, "flaky-proxy-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = chunks.take();
                    if (chunk[1] == end) {
                        break;
                    }
                    // The link's latency itself, not a wait for a state: held in arrival order until due (a
                    // DelayQueue would let a chunk sent after the delay was lowered overtake earlier bytes).
                    long wait = (long) chunk[0] - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    out.write((byte[]) chunk[1]);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side is gone: end both
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.run();
            }
        }, "flaky-proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cutAll();
        server.close();
    }
}

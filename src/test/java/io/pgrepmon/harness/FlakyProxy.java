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
 * connections were open at once, the client's pool size seen from the wire.
 */
public final class FlakyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    /** Live proxied connections, each a client socket and its upstream socket. */
    private final Set<Socket[]> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private volatile boolean forwarding = true;

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

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!forwarding) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                Socket[] link = {client, upstream};
                links.add(link);
                maxOpen.accumulateAndGet(links.size(), Math::max);
                Runnable done = () -> {
                    links.remove(link);
                    closeQuietly(client);
                    closeQuietly(upstream);
                };
                pump(client, upstream, done);
                pump(upstream, client, done);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Runnable done) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side is gone: end both
            } finally {
                done.run();
            }
        }, "flaky-proxy-pump");
        thread.setDaemon(true);
        thread.start();
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

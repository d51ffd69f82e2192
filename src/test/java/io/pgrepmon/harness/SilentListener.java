package io.pgrepmon.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener that accepts connections and never answers: a database that hangs after the TCP handshake.
 * Counts the connections the client still holds open (a connection is done when the client closes it).
 */
public final class SilentListener implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    public SilentListener() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "silent-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    public int open() {
        return open.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.incrementAndGet();
                Thread holder = new Thread(() -> holdUntilClosed(socket), "silent-connection");
                holder.setDaemon(true);
                holder.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads and discards whatever the client sends (its startup packet), never replies, until it hangs up. */
    private void holdUntilClosed(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // a reset counts as closed too
        } finally {
            open.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

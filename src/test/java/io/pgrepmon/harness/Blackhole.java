package io.pgrepmon.harness;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An address where packets vanish, made as root with a network namespace: a veth pair whose far end sits in a
 * namespace of its own, and a static neighbour entry so the kernel sends SYNs to it without ARP; nothing ever
 * answers, not even with a reset. Nothing leaves the machine.
 */
public final class Blackhole implements AutoCloseable {

    public static final String ADDRESS = "10.213.77.2";
    private final String namespace = "pgrepmon-bh-" + ProcessHandle.current().pid();
    private final String hostSide = "pgbh" + (ProcessHandle.current().pid() % 100000);

    public Blackhole() {
        ip("netns", "add", namespace);
        ip("link", "add", hostSide, "type", "veth", "peer", "name", hostSide + "p");
        ip("link", "set", hostSide + "p", "netns", namespace);
        ip("addr", "add", "10.213.77.1/30", "dev", hostSide);
        ip("link", "set", hostSide, "up");
        ip("neigh", "replace", ADDRESS, "lladdr", "02:00:00:00:77:02", "dev", hostSide, "nud", "permanent");
    }

    private static void ip(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (needs root): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            ip("link", "del", hostSide);
        } finally {
            ip("netns", "del", namespace);
        }
    }
}

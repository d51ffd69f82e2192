package io.pgrepmon.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for {@code localhost} only (no IP address in its
 * subject alternative names), made with the openssl command, plus a second, unrelated CA.
 */
public record TestCertificates(Path dir, Path caCert, Path otherCaCert, Path serverCert, Path serverKey) {

    public static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgrepmon-tls-");
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                    "-subj", "/CN=pgrepmon test CA");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt",
                    "-days", "2", "-subj", "/CN=some other CA");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost\n");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.crt", "-days", "2", "-extfile", "san.cnf");
            TestCertificates certs = new TestCertificates(dir, dir.resolve("ca.crt"), dir.resolve("other-ca.crt"),
                    dir.resolve("server.crt"), dir.resolve("server.key"));
            PgCluster.ownByPostgres(certs.serverCert(), false);
            PgCluster.ownByPostgres(certs.serverKey(), true);
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

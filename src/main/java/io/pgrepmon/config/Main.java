package io.pgrepmon.config;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Entry point that accepts {@code --config FILE} (or {@code --config=FILE}) as a friendlier spelling of
 * {@code -Dquarkus.config.locations=FILE}. It has to run before Quarkus reads its configuration, hence a main.
 * {@code --hash-password} and {@code --hash-token} print the hash to configure for a secret given on stdin;
 * {@code --check-health URL} is a container health check for images without curl (the native micro image).
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        if (args.length == 1 && (args[0].equals("--hash-password") || args[0].equals("--hash-token"))) {
            hash(args[0].equals("--hash-password"));
            return;
        }
        if (args.length == 2 && args[0].equals("--check-health")) {
            System.exit(checkHealth(args[1]));
            return;
        }
        List<String> rest = new ArrayList<>();
        String config = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config")) {
                if (i + 1 >= args.length) {
                    fail("--config needs a file: --config /etc/pg-replication-monitor/config.yaml");
                    return;
                }
                config = args[++i];
            } else if (arg.startsWith("--config=")) {
                config = arg.substring("--config=".length());
            } else {
                rest.add(arg);
            }
        }
        if (config != null) {
            Path file = Path.of(config).toAbsolutePath();
            if (!Files.isReadable(file)) {
                fail("--config " + config + ": no readable file there; give the path of your YAML configuration");
                return;
            }
            try {
                var syntax = YamlSyntax.check(Files.readString(file), config);
                if (syntax.isPresent()) {
                    fail(syntax.get());
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                fail("--config " + config + " cannot be read (" + e.getClass().getSimpleName() + ")");
                return;
            }
            System.setProperty("quarkus.config.locations", file.toUri().toString());
        }
        // Quarkus logs a start-up failure with its stack trace unless an exit handler takes it: a refusal (the
        // configuration, access control, a port in use) is one message to the operator, not a stack trace.
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        Quarkus.run(null, (code, failure) -> {
            if (failure == null) {
                exit.accept(code, null);
                return;
            }
            String refusal = refusal(failure);
            if (refusal == null) {
                System.err.println("pg-replication-monitor: could not start (a bug worth reporting, with this trace):");
                failure.printStackTrace();
                exit.accept(1, failure);
            } else {
                System.err.println("pg-replication-monitor: " + refusal);
                exit.accept(2, failure);
            }
        }, rest.toArray(String[]::new));
    }

    /** What to tell the operator when start-up was refused for a reason of theirs; null for anything else. */
    static String refusal(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof InvalidConfigException || root instanceof ConfigurationException
                || root instanceof ConfigValidationException) {
            return root.getMessage();
        }
        if (root instanceof QuarkusBindException bind) {
            return QuarkusBindException.isKnownHost(bind.getHost())
                    ? "cannot listen on " + bind.getHost() + ":" + bind.getPort() + ": the port is in use (another process,"
                    + " or another monitor, holds it); stop that one, or choose a free port with quarkus.http.port"
                    + " (QUARKUS_HTTP_PORT)"
                    : "cannot listen on " + bind.getHost() + ": no such address on this machine; set quarkus.http.host"
                    + " (QUARKUS_HTTP_HOST) to one of its addresses, or 0.0.0.0 for all";
        }
        if (root instanceof java.net.BindException) {
            return "cannot listen on the configured address (" + root.getMessage() + "); check quarkus.http.host and"
                    + " quarkus.http.port (QUARKUS_HTTP_HOST, QUARKUS_HTTP_PORT)";
        }
        return null;
    }

    /**
     * Prints the hash to configure for a secret read from standard input (not from the arguments, which shell
     * history and process listings keep): bcrypt for a basic-authentication password, SHA-256 for an API token.
     */
    private static void hash(boolean password) {
        String secret;
        try {
            secret = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            fail("could not read the secret from standard input: " + e.getMessage());
            return;
        }
        if (secret.isEmpty()) {
            fail("give the secret on standard input, e.g. printf %s \"$SECRET\" | java -jar quarkus-run.jar "
                    + (password ? "--hash-password" : "--hash-token"));
            return;
        }
        System.out.println(password ? io.quarkus.elytron.security.common.BcryptUtil.bcryptHash(secret, 12)
                : java.util.HexFormat.of().formatHex(Sha256.of(secret)));
    }

    /** 0 when the URL answers 200 within 3 s, else 1, saying why on stderr: what a container health check wants. */
    static int checkHealth(String url) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(3000);
            connection.setReadTimeout(3000);
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status == 200) {
                return 0;
            }
            System.err.println("pg-replication-monitor: " + url + " answered " + status);
        } catch (java.io.IOException | IllegalArgumentException e) {
            System.err.println("pg-replication-monitor: " + url + " did not answer: " + e.getMessage());
        }
        return 1;
    }

    private static void fail(String message) {
        System.err.println("pg-replication-monitor: " + message);
        System.exit(2);
    }
}

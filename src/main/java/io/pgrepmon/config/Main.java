package io.pgrepmon.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point that accepts {@code --config FILE} (or {@code --config=FILE}) as a friendlier spelling of
 * {@code -Dquarkus.config.locations=FILE}. It has to run before Quarkus reads its configuration, hence a main.
 * {@code --hash-password} and {@code --hash-token} print the hash to configure for a secret given on stdin.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        if (args.length == 1 && (args[0].equals("--hash-password") || args[0].equals("--hash-token"))) {
            hash(args[0].equals("--hash-password"));
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
        Quarkus.run(rest.toArray(String[]::new));
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

    private static void fail(String message) {
        System.err.println("pg-replication-monitor: " + message);
        System.exit(2);
    }
}

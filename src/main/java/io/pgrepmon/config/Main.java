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
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
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
            System.setProperty("quarkus.config.locations", file.toUri().toString());
        }
        Quarkus.run(rest.toArray(String[]::new));
    }

    private static void fail(String message) {
        System.err.println("pg-replication-monitor: " + message);
        System.exit(2);
    }
}

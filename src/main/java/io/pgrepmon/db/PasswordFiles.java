package io.pgrepmon.db;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.PasswordSource;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import java.nio.charset.StandardCharsets;

/** Reads a database's {@code password-file} again before a new connection, so a rotated secret needs no restart. */
public final class PasswordFiles {

    private PasswordFiles() {
    }

    /**
     * Reads the file (without blocking the event loop) when the database has one; connections made after this use
     * what it holds. A file that cannot be read leaves the last password read in use, and the log says so (never
     * what the file holds).
     */
    public static Uni<Void> refresh(Vertx vertx, DatabaseSettings db) {
        PasswordSource source = db.passwordSource();
        if (source.file() == null) {
            return Uni.createFrom().voidItem();
        }
        return vertx.fileSystem().readFile(source.file())
                .invoke(content -> {
                    if (source.update(content.toString(StandardCharsets.UTF_8))) {
                        Log.infof("%s: its password-file %s holds a new password; connections from now on use it",
                                db.name(), source.file());
                    }
                })
                .onFailure().invoke(e -> Log.warnf("%s: its password-file %s cannot be read (%s); the last password read"
                        + " stays in use", db.name(), source.file(), e.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}

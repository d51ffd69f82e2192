package io.pgrepmon.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A database's password as connections are made with it: read from {@code password-file} again before each new
 * connection (a rotated secret mounted as a file then needs no restart), or the configured one. Every password it has
 * held is kept for redaction, so that no driver message carries an old or a new one. {@link #toString()} says only
 * where it comes from.
 */
public final class PasswordSource {

    private final String file;
    private volatile String current;
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    public PasswordSource(String password, String file) {
        this.file = file;
        this.current = password;
        if (password != null && !password.isEmpty()) {
            held.add(password);
        }
    }

    /** The file it is read from; null when the password is configured as it is. */
    public String file() {
        return file;
    }

    public String current() {
        return current;
    }

    /**
     * What the file holds now (trailing white space dropped, as at start-up).
     *
     * @return whether that is a new password
     */
    public boolean update(String content) {
        String password = content.stripTrailing();
        if (password.isEmpty() || password.equals(current)) {
            return false;
        }
        held.add(password);
        current = password;
        return true;
    }

    /** Replaces every password this source has held in a text that may have come from a driver. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        // Longest first: a password that contains another is replaced whole, not around the shorter one.
        for (String password : held.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList()) {
            redacted = redacted.replace(password, "********");
        }
        return redacted;
    }

    @Override
    public String toString() {
        return file == null ? "PasswordSource[configured]" : "PasswordSource[file=" + file + "]";
    }
}

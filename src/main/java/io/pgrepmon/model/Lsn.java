package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A WAL position as the 64-bit number PostgreSQL uses; its text form is {@code X/Y}, the high and low 32 bits in hex.
 * Positions are compared and subtracted as numbers, never as strings ({@code "0/9" > "0/10"} as text).
 */
@RegisterForReflection
public record Lsn(long value) implements Comparable<Lsn> {

    /**
     * @param text {@code X/Y} as printed by PostgreSQL, or null
     * @return the position, or null when text is null (an unknown position stays unknown)
     * @throws IllegalArgumentException when the text is not an LSN
     */
    public static Lsn parse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not an LSN (expected X/Y with up to 8 hex digits each): '" + text + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            // Long.parseLong would accept a sign; an LSN has hex digits only.
            if (i != slash && Character.digit(text.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("not an LSN (expected X/Y in hex): '" + text + "'");
            }
        }
        try {
            long high = Long.parseLong(text, 0, slash, 16);
            long low = Long.parseLong(text, slash + 1, text.length(), 16);
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hex): '" + text + "'", e);
        }
    }

    /**
     * Bytes from {@code earlier} to {@code later}, never negative (a position read a moment later may already
     * be ahead); null when either is unknown.
     */
    public static Long bytesBetween(Lsn later, Lsn earlier) {
        if (later == null || earlier == null) {
            return null;
        }
        return Math.max(0L, later.value - earlier.value);
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}

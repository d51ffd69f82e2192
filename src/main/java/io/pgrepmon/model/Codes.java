package io.pgrepmon.model;

import java.util.Locale;

/** The stable code of a closed set's member, as clients read it: its name in lower case, words joined by '-'. */
public final class Codes {

    private Codes() {
    }

    public static String of(Enum<?> member) {
        return member.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

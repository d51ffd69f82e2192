package io.pgrepmon.config;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a database is in the replication: the publisher or the subscriber. */
public enum Role {
    SOURCE, TARGET;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}

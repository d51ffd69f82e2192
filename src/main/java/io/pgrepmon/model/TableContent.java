package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One table's rows compared in content between source and target, chunk by chunk in key order.
 *
 * @param rows   rows hashed on the source
 * @param chunks key ranges compared
 * @param detail for differ, the first differing key range and both sides' counts in it; for unknown, why
 */
@RegisterForReflection
public record TableContent(String table, Result result, long rows, int chunks, String detail) {

    /** Match, differ (a key range whose rows are not the same on both sides), or unknown. */
    public enum Result {
        MATCH, DIFFER, UNKNOWN;

        @JsonValue
        public String code() {
            return Codes.of(this);
        }
    }
}

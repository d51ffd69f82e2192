package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One check of a pair's cutover readiness, with its evidence: the numbers, tables or sequences concerned.
 *
 * @param id       stable identifier, e.g. {@code sequences}
 * @param evidence what was seen, in words
 * @param items    the objects concerned (tables, sequences), at most a few hundred
 */
@RegisterForReflection
public record CutoverCheck(String id, String title, Result result, String evidence, List<String> items) {

    public CutoverCheck {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Pass, fail, or unknown (not enough evidence: never counted as a pass). */
    public enum Result {
        PASS, FAIL, UNKNOWN;

        @JsonValue
        public String code() {
            return Codes.of(this);
        }
    }

    public static CutoverCheck pass(String id, String title, String evidence) {
        return pass(id, title, evidence, List.of());
    }

    /** A pass whose items are what the operator should still know of (declarations it rests on). */
    public static CutoverCheck pass(String id, String title, String evidence, List<String> items) {
        return new CutoverCheck(id, title, Result.PASS, evidence, items);
    }

    public static CutoverCheck fail(String id, String title, String evidence, List<String> items) {
        return new CutoverCheck(id, title, Result.FAIL, evidence, items);
    }

    public static CutoverCheck unknown(String id, String title, String evidence) {
        return new CutoverCheck(id, title, Result.UNKNOWN, evidence, List.of());
    }
}

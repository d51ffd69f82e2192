package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * Whether a pair may be cut over now: Ready only when every check passes; Not ready when any fails; Unknown when
 * none fails but some cannot be decided.
 *
 * @param summary       the verdict in words, naming the failing or unknown checks
 * @param deepCheckedAt when sequences, row counts and schemas were last compared (null: never)
 * @param sequences     the sequence report: source and target values and the statement that would fix each
 * @param contentProgress the content comparison running now, or the last one (null: never run)
 */
@RegisterForReflection
public record PairCutover(String pair, Verdict verdict, String summary, List<CutoverCheck> checks, Instant deepCheckedAt,
                          List<SequenceReport> sequences, ContentProgress contentProgress) {

    public PairCutover {
        checks = List.copyOf(checks);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
    }

    public PairCutover(String pair, Verdict verdict, String summary, List<CutoverCheck> checks, Instant deepCheckedAt,
                       List<SequenceReport> sequences) {
        this(pair, verdict, summary, checks, deepCheckedAt, sequences, null);
    }

    public PairCutover withContentProgress(ContentProgress progress) {
        return new PairCutover(pair, verdict, summary, checks, deepCheckedAt, sequences, progress);
    }

    public enum Verdict {
        READY, NOT_READY, UNKNOWN;

        @JsonValue
        public String code() {
            return Codes.of(this);
        }
    }
}

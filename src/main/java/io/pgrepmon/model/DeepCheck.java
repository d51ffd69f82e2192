package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * What the deep checks found for one pair: reads that cost more than a catalog lookup, run on request or on
 * their own slow schedule. A part that could not be read says why in its {@code *Problem} field.
 *
 * @param tables       row counts compared, per table
 * @param schemaDiffs  differences in columns between source and target tables
 * @param content      the rows of each table compared in content, in key ranges (empty when not run)
 * @param sourceFingerprint the source's catalog fingerprint, read before anything else (null when not read): a
 *                          later tick that reads another one makes these results stale; {@code targetFingerprint}
 *                          the same for the target
 */
@RegisterForReflection
public record DeepCheck(String pair, Instant at, List<SequenceReport> sequences, String sequencesProblem,
                        List<TableCount> tables, String countsProblem, List<String> schemaDiffs, String schemaProblem,
                        @JsonIgnore Fingerprint sourceFingerprint, @JsonIgnore Fingerprint targetFingerprint,
                        List<TableContent> content) {

    public DeepCheck {
        content = content == null ? List.of() : List.copyOf(content);
    }

    public DeepCheck withContent(List<TableContent> compared) {
        return new DeepCheck(pair, at, sequences, sequencesProblem, tables, countsProblem, schemaDiffs, schemaProblem,
                sourceFingerprint, targetFingerprint, compared);
    }

    /**
     * @param sourceRows exact count on the source, null when not counted
     * @param note       why not counted (too large for an exact count, no SELECT privilege)
     */
    @RegisterForReflection
    public record TableCount(String table, Long sourceRows, Long targetRows, String note) {

        public boolean matches() {
            return sourceRows != null && sourceRows.equals(targetRows);
        }
    }

    public static DeepCheck failed(String pair, Instant at, String problem) {
        return new DeepCheck(pair, at, List.of(), problem, List.of(), problem, List.of(), problem, null, null, List.of());
    }
}

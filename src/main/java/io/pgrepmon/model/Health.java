package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.List;

/** A status with the reasons for it in words; a healthy component has no reasons. */
@RegisterForReflection
public record Health(Status status, List<String> reasons) {

    public static final Health HEALTHY = new Health(Status.HEALTHY, List.of());

    public Health {
        reasons = List.copyOf(reasons);
    }

    /** Collects findings; the status is the worst one added. */
    public static final class Builder {
        private Status status = Status.HEALTHY;
        private final List<String> reasons = new ArrayList<>();

        public Builder add(Status level, String reason) {
            status = Status.worst(status, level);
            reasons.add(reason);
            return this;
        }

        /** Adds another component's findings, e.g. a slot's to its pair. */
        public Builder addAll(Health other) {
            other.reasons().forEach(reason -> add(other.status(), reason));
            return this;
        }

        public Health build() {
            return reasons.isEmpty() ? HEALTHY : new Health(status, reasons);
        }
    }
}

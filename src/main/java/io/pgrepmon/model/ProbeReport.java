package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How one probe went on one database this tick: its duration and, when it failed, why. */
@RegisterForReflection
public record ProbeReport(String probe, long millis, String error) {

    public boolean failed() {
        return error != null;
    }
}

package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * An alert on a pair or a database.
 *
 * @param state      pending (unhealthy, not yet for long enough), firing, resolving (healthy, not yet for long enough)
 *                   or resolved
 * @param since      when the current state began
 * @param firedAt    when it fired; null while pending
 * @param resolvedAt when it resolved; null until then
 */
@RegisterForReflection
public record Alert(String subject, String kind, Severity severity, AlertState state, Instant since, Instant firedAt,
                    Instant resolvedAt, List<String> reasons) {

    public Alert {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}

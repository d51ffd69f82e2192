package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * Alerts in the snapshot: those not yet resolved, the recently resolved ones, and how each webhook is doing.
 */
@RegisterForReflection
public record AlertsView(List<Alert> active, List<Alert> recent, List<Notifier> notifiers) {

    public AlertsView {
        active = List.copyOf(active);
        recent = List.copyOf(recent);
        notifiers = List.copyOf(notifiers);
    }

    public static final AlertsView NONE = new AlertsView(List.of(), List.of(), List.of());

    /**
     * A webhook, named by its position and host only (its URL may hold a secret).
     *
     * @param lastError the latest failed delivery, after its retries
     */
    @RegisterForReflection
    public record Notifier(String name, String format, long sent, long failed, Instant lastSentAt, String lastError,
                           Instant lastErrorAt) {
    }
}

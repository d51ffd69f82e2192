package io.pgrepmon.judge.alert;

import io.pgrepmon.model.Alert;
import io.pgrepmon.model.AlertEvent;
import io.pgrepmon.model.AlertState;
import io.pgrepmon.model.Severity;
import io.pgrepmon.model.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert state machine, without I/O: a subject (a pair or a database) that is unhealthy is pending, fires once
 * it has stayed so for {@code forDuration}, is resolving once healthy again, and resolves once it has stayed
 * healthy for {@code resolveAfter}; unhealthy again while resolving, it is simply firing again. So a value
 * hovering at a threshold notifies nobody, and a firing alert does not flap. Called by one tick at a time.
 */
public final class AlertRules {

    /** What a subject looks like this tick. */
    public record Observation(String subject, String kind, Status status, List<String> reasons) {
    }

    /** A change worth telling someone about: firing, escalated (warning to critical) or resolved. */
    public record Transition(AlertEvent event, Alert alert) {
    }

    private static final int RECENT = 50;

    private final Duration forDuration;
    private final Duration resolveAfter;
    private final Status minSeverity;
    private final Map<String, Alert> tracked = new LinkedHashMap<>();
    private final Deque<Alert> recent = new ArrayDeque<>();

    public AlertRules(Duration forDuration, Duration resolveAfter, Status minSeverity) {
        this.forDuration = forDuration;
        this.resolveAfter = resolveAfter;
        this.minSeverity = minSeverity;
    }

    static Severity severity(Status status) {
        return status == Status.WARNING ? Severity.WARNING : Severity.CRITICAL;
    }

    private boolean bad(Status status) {
        return status != Status.HEALTHY && Status.worst(status, minSeverity) == status;
    }

    public List<Transition> observe(List<Observation> observations, Instant now) {
        List<Transition> transitions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Observation o : observations) {
            String key = o.kind() + ":" + o.subject();
            seen.add(key);
            Alert current = tracked.get(key);
            if (bad(o.status())) {
                Severity severity = severity(o.status());
                if (current == null) {
                    tracked.put(key, new Alert(o.subject(), o.kind(), severity, AlertState.PENDING, now, null, null, o.reasons()));
                } else if (current.state() == AlertState.PENDING) {
                    if (Duration.between(current.since(), now).compareTo(forDuration) >= 0) {
                        Alert firing = new Alert(o.subject(), o.kind(), severity, AlertState.FIRING, now, now, null, o.reasons());
                        tracked.put(key, firing);
                        transitions.add(new Transition(AlertEvent.FIRING, firing));
                    } else {
                        tracked.put(key, new Alert(o.subject(), o.kind(), severity, AlertState.PENDING, current.since(), null, null, o.reasons()));
                    }
                } else {
                    boolean escalated = current.severity() == Severity.WARNING && severity == Severity.CRITICAL;
                    // A firing alert keeps the worst severity it reached; back from resolving, it is firing again.
                    Severity kept = current.severity() == Severity.CRITICAL ? Severity.CRITICAL : severity;
                    Instant since = current.state() == AlertState.FIRING ? current.since() : now;
                    Alert firing = new Alert(o.subject(), o.kind(), kept, AlertState.FIRING, since, current.firedAt(), null, o.reasons());
                    tracked.put(key, firing);
                    if (escalated) {
                        transitions.add(new Transition(AlertEvent.ESCALATED, firing));
                    }
                }
            } else {
                healthy(key, current, now, transitions);
            }
        }
        for (String key : new ArrayList<>(tracked.keySet())) {
            if (!seen.contains(key)) {
                healthy(key, tracked.get(key), now, transitions);
            }
        }
        return transitions;
    }

    private void healthy(String key, Alert current, Instant now, List<Transition> transitions) {
        if (current == null) {
            return;
        }
        switch (current.state()) {
            case PENDING -> tracked.remove(key);
            case FIRING -> tracked.put(key, new Alert(current.subject(), current.kind(), current.severity(), AlertState.RESOLVING,
                    now, current.firedAt(), null, current.reasons()));
            case RESOLVING -> {
                if (Duration.between(current.since(), now).compareTo(resolveAfter) >= 0) {
                    Alert resolved = new Alert(current.subject(), current.kind(), current.severity(), AlertState.RESOLVED, now,
                            current.firedAt(), now, current.reasons());
                    tracked.remove(key);
                    recent.addFirst(resolved);
                    while (recent.size() > RECENT) {
                        recent.removeLast();
                    }
                    transitions.add(new Transition(AlertEvent.RESOLVED, resolved));
                }
            }
            case RESOLVED -> tracked.remove(key);
        }
    }

    /** Pending, firing and resolving alerts, the most severe first. */
    public List<Alert> active() {
        return tracked.values().stream()
                .sorted(Comparator.comparing((Alert a) -> a.severity() == Severity.CRITICAL ? 0 : 1).thenComparing(Alert::subject))
                .toList();
    }

    /** The latest resolved alerts, newest first. */
    public List<Alert> recent() {
        return List.copyOf(recent);
    }
}

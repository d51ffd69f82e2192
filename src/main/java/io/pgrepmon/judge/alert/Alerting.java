package io.pgrepmon.judge.alert;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.alert.AlertRules.Observation;
import io.pgrepmon.model.Alert;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.List;

/** Feeds each snapshot's pairs and databases to the alert rules, sends the transitions, and adds the alerts to it. */
@ApplicationScoped
public class Alerting {

    private final AlertRules rules;
    private final AlertNotifier notifier;

    public Alerting(Settings settings, AlertNotifier notifier) {
        MonitorSettings.Alerts alerts = settings.get().alerts();
        this.rules = new AlertRules(alerts.forDuration(), alerts.resolveAfter(),
                alerts.criticalOnly() ? Status.CRITICAL : Status.WARNING);
        this.notifier = notifier;
    }

    public synchronized Snapshot apply(Snapshot snapshot) {
        List<Observation> observations = new ArrayList<>();
        for (PairInfo pair : snapshot.pairs()) {
            observations.add(new Observation(pair.name(), "pair", pair.health().status(), pair.health().reasons()));
        }
        for (DatabaseSnapshot db : snapshot.databases()) {
            observations.add(new Observation(db.name(), "database", db.health().status(), db.health().reasons()));
        }
        List<AlertRules.Transition> transitions = rules.observe(observations, snapshot.takenAt());
        transitions.forEach(t -> log(t, snapshot.sequence()));
        notifier.send(transitions);
        return snapshot.withAlerts(new AlertsView(rules.active(), rules.recent(), notifier.status()));
    }

    /** Each transition in the log, with its subject as a field (database or pair) and the tick, for a log pipeline. */
    private static void log(AlertRules.Transition t, long tick) {
        Alert alert = t.alert();
        MDC.put(alert.kind(), alert.subject());
        MDC.put("tick", Long.toString(tick));
        try {
            Log.infof("alert %s: %s %s is %s: %s", t.event().code(), alert.kind(), alert.subject(), alert.severity().code(),
                    String.join("; ", alert.reasons()));
        } finally {
            MDC.remove(alert.kind());
            MDC.remove("tick");
        }
    }
}

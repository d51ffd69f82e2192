package io.pgrepmon.judge.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.config.Settings;
import io.pgrepmon.judge.alert.AlertRules.Transition;
import io.pgrepmon.model.Alert;
import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.Severity;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts alert transitions to the configured webhooks, as JSON or as a Slack-compatible message. Each delivery runs
 * on its own (JDK HTTP client, asynchronous), retries with backoff, and is never waited for by the poller; a
 * webhook that cannot be reached is reported in the snapshot, not fatal. The URL is never logged nor shown (a
 * Slack webhook URL is a credential): a webhook is named by its position and host.
 */
@ApplicationScoped
public class AlertNotifier {

    static final int ATTEMPTS = 4;

    private record Target(String name, URI uri, MonitorSettings.Webhook.Format format, AtomicLong sent, AtomicLong failed,
                          AtomicReference<Instant> lastSentAt, AtomicReference<String> lastError,
                          AtomicReference<Instant> lastErrorAt) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final Duration firstBackoff;

    public AlertNotifier(Settings settings, ObjectMapper mapper) {
        this.mapper = mapper;
        this.firstBackoff = Duration.ofMillis(500);
        List<MonitorSettings.Webhook> hooks = settings.get().alerts().webhooks();
        for (int i = 0; i < hooks.size(); i++) {
            URI uri = URI.create(hooks.get(i).url());
            targets.add(new Target("webhook[" + i + "] (" + uri.getHost() + ")", uri, hooks.get(i).format(), new AtomicLong(),
                    new AtomicLong(), new AtomicReference<>(), new AtomicReference<>(), new AtomicReference<>()));
        }
    }

    public void send(List<Transition> transitions) {
        for (Transition transition : transitions) {
            for (Target target : targets) {
                deliver(target, transition);
            }
        }
    }

    private void deliver(Target target, Transition transition) {
        String body;
        try {
            body = target.format() == MonitorSettings.Webhook.Format.SLACK ? mapper.writeValueAsString(Map.of("text", slackText(transition)))
                    : mapper.writeValueAsString(payload(transition));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("alert payload could not be serialized", e);
        }
        HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    return response;
                })
                .onFailure().retry().withBackOff(firstBackoff, Duration.ofSeconds(30)).atMost(ATTEMPTS - 1)
                .subscribe().with(
                        ok -> {
                            target.sent().incrementAndGet();
                            target.lastSentAt().set(Instant.now());
                        },
                        failure -> {
                            target.failed().incrementAndGet();
                            String reason = describe(failure);
                            target.lastError().set(transition.event().code() + " of " + transition.alert().subject() + " not delivered after "
                                    + ATTEMPTS + " attempts: " + reason);
                            target.lastErrorAt().set(Instant.now());
                            Log.warnf("alert %s of %s not delivered to %s: %s", transition.event().code(), transition.alert().subject(),
                                    target.name(), reason);
                        });
    }

    /** The exception's class and message, without the URL (the JDK client does not put it there). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static Map<String, Object> payload(Transition transition) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", transition.event().code());
        payload.put("monitor", "pg-replication-monitor");
        payload.put("alert", transition.alert());
        return payload;
    }

    static String slackText(Transition transition) {
        Alert a = transition.alert();
        String icon = switch (transition.event()) {
            case RESOLVED -> ":white_check_mark:";
            case ESCALATED -> ":rotating_light:";
            case FIRING -> a.severity() == Severity.CRITICAL ? ":red_circle:" : ":warning:";
        };
        return icon + " " + transition.event().code().toUpperCase(java.util.Locale.ROOT) + " " + a.severity().code() + " " + a.kind() + " "
                + a.subject() + (a.reasons().isEmpty() ? "" : ": " + String.join("; ", a.reasons()));
    }

    public List<AlertsView.Notifier> status() {
        return targets.stream().map(t -> new AlertsView.Notifier(t.name(), t.format().code(), t.sent().get(), t.failed().get(),
                t.lastSentAt().get(), t.lastError().get(), t.lastErrorAt().get())).toList();
    }
}

package io.pgrepmon.config;

import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration, validated once as a whole. Created when the poller starts (a start-up observer injects it),
 * so an invalid configuration stops start-up before anything connects or listens.
 */
@Singleton
public class Settings {

    private final MonitorSettings settings;

    public Settings(MonitorConfig config, @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String httpHost) {
        this.settings = ConfigValidator.validate(config, httpHost);
        SecuritySettings security = settings.security();
        if (security.enabled()) {
            java.util.List<String> methods = new java.util.ArrayList<>();
            if (security.tokenSha256() != null) {
                methods.add("API token");
            }
            if (security.basicUser() != null) {
                methods.add("basic authentication for " + security.basicUser());
            }
            Log.infof("Access control on (%s): %s", security.why(), String.join(" and ", methods));
        } else {
            Log.warnf("Access control off: %s", security.why());
        }
    }

    public MonitorSettings get() {
        return settings;
    }
}

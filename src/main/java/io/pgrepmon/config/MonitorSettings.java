package io.pgrepmon.config;

import java.util.List;

/** The configuration after validation: databases with passwords resolved, the explicit pairs, access control. */
public record MonitorSettings(List<DatabaseSettings> databases, List<PairSettings> pairs, SecuritySettings security,
                              List<HeartbeatSettings> heartbeats) {

    public MonitorSettings {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
        heartbeats = List.copyOf(heartbeats);
    }
}

package io.pgrepmon.config;

import java.util.List;

/** The configuration after validation: databases with passwords resolved, the explicit pairs, access control. */
public record MonitorSettings(List<DatabaseSettings> databases, List<PairSettings> pairs, SecuritySettings security) {

    public MonitorSettings {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
    }
}

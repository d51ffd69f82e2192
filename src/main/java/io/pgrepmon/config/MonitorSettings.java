package io.pgrepmon.config;

import java.util.List;

/** The configuration after validation: databases with passwords resolved, and the explicit pairs. */
public record MonitorSettings(List<DatabaseSettings> databases, List<PairSettings> pairs) {

    public MonitorSettings {
        databases = List.copyOf(databases);
        pairs = List.copyOf(pairs);
    }
}

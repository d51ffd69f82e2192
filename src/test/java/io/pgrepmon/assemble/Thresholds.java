package io.pgrepmon.assemble;

import io.pgrepmon.config.MonitorSettings;

import java.time.Duration;

/** Fixed thresholds for unit tests: Warning above 1 MiB, Critical above 10 MiB, slot inactive 60 s,
 * safe_wal_size 1 GiB, walsender stalled 60 s, table sync stuck 10 min, errors recent for 10 min. */
final class Thresholds {

    static final MonitorSettings.Thresholds UNIT = new MonitorSettings.Thresholds(1024 * 1024, 10L * 1024 * 1024,
            Duration.ofSeconds(60), 1024L * 1024 * 1024, Duration.ofSeconds(60), Duration.ofMinutes(10),
            Duration.ofMinutes(10));

    private Thresholds() {
    }
}

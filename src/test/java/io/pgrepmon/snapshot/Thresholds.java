package io.pgrepmon.snapshot;

import io.pgrepmon.config.MonitorConfig;

import java.time.Duration;
import java.util.Optional;

/** Fixed thresholds for unit tests: Warning above 1 MiB, Critical above 10 MiB, slot inactive 60 s. */
final class Thresholds implements MonitorConfig.Thresholds {

    @Override
    public long lagBytes() {
        return 1024 * 1024;
    }

    @Override
    public Optional<Long> lagBytesCritical() {
        return Optional.empty();
    }

    @Override
    public Duration slotInactive() {
        return Duration.ofSeconds(60);
    }
}

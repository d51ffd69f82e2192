package io.pgrepmon.assemble;

import io.pgrepmon.config.MonitorConfig;

import java.time.Duration;
import java.util.Optional;

/** Fixed thresholds for unit tests: Warning above 1 MiB, Critical above 10 MiB, slot inactive 60 s,
 * safe_wal_size 1 GiB, walsender stalled 60 s, table sync stuck 10 min, errors recent for 10 min. */
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

    @Override
    public long safeWalSize() {
        return 1024L * 1024 * 1024;
    }

    @Override
    public Duration walsenderStalled() {
        return Duration.ofSeconds(60);
    }

    @Override
    public Duration tableSyncStuck() {
        return Duration.ofMinutes(10);
    }

    @Override
    public Duration errorRecent() {
        return Duration.ofMinutes(10);
    }
}

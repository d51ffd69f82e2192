package io.pgrepmon.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRulesTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Thresholds THRESHOLDS = new Thresholds();

    static SlotInfo slot(boolean active, Long lag, String walStatus, Instant inactiveSince) {
        return new SlotInfo("s", "pgoutput", "app", active, active ? 42 : null, Lsn.parse("0/1"), Lsn.parse("0/2"),
                lag, 2048L, walStatus, null, inactiveSince, null);
    }

    @Test
    void activeCaughtUpSlotIsHealthy() {
        assertThat(HealthRules.slot(slot(true, 0L, "reserved", null), THRESHOLDS, NOW)).isEqualTo(Health.HEALTHY);
    }

    @Test
    void lagAboveTheThresholdIsWarningAndTenTimesItIsCritical() {
        Health warning = HealthRules.slot(slot(true, 2L * 1024 * 1024, "reserved", null), THRESHOLDS, NOW);
        assertThat(warning.status()).isEqualTo(Status.WARNING);
        assertThat(warning.reasons()).containsExactly("2.0 MiB behind (threshold 1.0 MiB)");
        assertThat(HealthRules.slot(slot(true, 1024L * 1024, "reserved", null), THRESHOLDS, NOW).status())
                .as("exactly at the threshold").isEqualTo(Status.HEALTHY);
        Health critical = HealthRules.slot(slot(true, 11L * 1024 * 1024, "reserved", null), THRESHOLDS, NOW);
        assertThat(critical.status()).isEqualTo(Status.CRITICAL);
        assertThat(critical.reasons().get(0)).contains("critical above 10.0 MiB");
    }

    @Test
    void unknownLagIsAWarningNotZero() {
        Health health = HealthRules.slot(slot(true, null, "reserved", null), THRESHOLDS, NOW);
        assertThat(health.status()).isEqualTo(Status.WARNING);
        assertThat(health.reasons().get(0)).startsWith("lag unknown");
    }

    @Test
    void inactiveSlotIsWarningThenCriticalPastTheThreshold() {
        Health recent = HealthRules.slot(slot(false, 0L, "reserved", NOW.minusSeconds(10)), THRESHOLDS, NOW);
        assertThat(recent.status()).isEqualTo(Status.WARNING);
        assertThat(recent.reasons().get(0)).contains("inactive for 10 s");
        Health old = HealthRules.slot(slot(false, 0L, "reserved", NOW.minusSeconds(75)), THRESHOLDS, NOW);
        assertThat(old.status()).isEqualTo(Status.CRITICAL);
        assertThat(old.reasons().get(0)).contains("inactive for 75 s (threshold 60 s)", "retaining 2.0 KiB of WAL");
    }

    @Test
    void unreservedOrLostWalIsCritical() {
        for (String walStatus : List.of("unreserved", "lost")) {
            Health health = HealthRules.slot(slot(true, 0L, walStatus, null), THRESHOLDS, NOW);
            assertThat(health.status()).as(walStatus).isEqualTo(Status.CRITICAL);
            assertThat(health.reasons().get(0)).contains("wal_status " + walStatus);
        }
        assertThat(HealthRules.slot(slot(true, 0L, "extended", null), THRESHOLDS, NOW).status()).isEqualTo(Status.HEALTHY);
    }

    static SubscriptionInfo subscription(boolean enabled, Integer workerPid) {
        return new SubscriptionInfo("sub", enabled, "sub", List.of("pub"), workerPid, null, null, null, null, null, null);
    }

    @Test
    void subscriptionRules() {
        assertThat(HealthRules.subscription(subscription(true, 100))).isEqualTo(Health.HEALTHY);
        Health disabled = HealthRules.subscription(subscription(false, null));
        assertThat(disabled.status()).isEqualTo(Status.WARNING);
        assertThat(disabled.reasons().get(0)).contains("disabled", "ALTER SUBSCRIPTION sub ENABLE");
        Health noWorker = HealthRules.subscription(subscription(true, null));
        assertThat(noWorker.status()).isEqualTo(Status.CRITICAL);
        assertThat(noWorker.reasons().get(0)).contains("no apply worker");
    }
}

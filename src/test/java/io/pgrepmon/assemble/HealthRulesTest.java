package io.pgrepmon.assemble;

import io.pgrepmon.config.MonitorSettings;

import io.pgrepmon.model.Health;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.WalSenderActivity;
import io.pgrepmon.model.WalSenderReading;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRulesTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final MonitorSettings.Thresholds THRESHOLDS = Thresholds.UNIT;

    static Health slotHealth(SlotReading slot) {
        return HealthRules.slot(slot, slot.inactiveSince(), THRESHOLDS, NOW);
    }

    static SlotReading slot(boolean active, Long lag, String walStatus, Instant inactiveSince) {
        return Fixtures.slot("s", active, lag, walStatus, inactiveSince);
    }

    @Test
    void activeCaughtUpSlotIsHealthy() {
        assertThat(slotHealth(slot(true, 0L, "reserved", null))).isEqualTo(Health.HEALTHY);
    }

    @Test
    void lagAboveTheThresholdIsWarningAndTenTimesItIsCritical() {
        Health warning = slotHealth(slot(true, 2L * 1024 * 1024, "reserved", null));
        assertThat(warning.status()).isEqualTo(Status.WARNING);
        assertThat(warning.reasons()).containsExactly("2.0 MiB behind (threshold 1.0 MiB)");
        assertThat(slotHealth(slot(true, 1024L * 1024, "reserved", null)).status())
                .as("exactly at the threshold").isEqualTo(Status.HEALTHY);
        Health critical = slotHealth(slot(true, 11L * 1024 * 1024, "reserved", null));
        assertThat(critical.status()).isEqualTo(Status.CRITICAL);
        assertThat(critical.reasons().get(0)).contains("critical above 10.0 MiB");
    }

    @Test
    void unknownLagIsAWarningNotZero() {
        Health health = slotHealth(slot(true, null, "reserved", null));
        assertThat(health.status()).isEqualTo(Status.WARNING);
        assertThat(health.reasons().get(0)).startsWith("lag unknown");
    }

    @Test
    void inactiveSlotIsWarningThenCriticalPastTheThreshold() {
        Health recent = slotHealth(slot(false, 0L, "reserved", NOW.minusSeconds(10)));
        assertThat(recent.status()).isEqualTo(Status.WARNING);
        assertThat(recent.reasons().get(0)).contains("inactive for 10 s");
        Health old = slotHealth(slot(false, 0L, "reserved", NOW.minusSeconds(75)));
        assertThat(old.status()).isEqualTo(Status.CRITICAL);
        assertThat(old.reasons().get(0)).contains("inactive for 75 s (threshold 60 s)", "retaining 2.0 KiB of WAL");
    }

    @Test
    void unreservedOrLostWalIsCritical() {
        for (String walStatus : List.of("unreserved", "lost")) {
            Health health = slotHealth(slot(true, 0L, walStatus, null));
            assertThat(health.status()).as(walStatus).isEqualTo(Status.CRITICAL);
            assertThat(health.reasons().get(0)).contains("wal_status " + walStatus);
        }
        assertThat(slotHealth(slot(true, 0L, "extended", null)).status()).isEqualTo(Status.HEALTHY);
    }

    static SubscriptionReading subscription(boolean enabled, Integer workerPid) {
        return Fixtures.sub("sub", "sub", enabled, workerPid);
    }

    static Health subscriptionHealth(SubscriptionReading sub) {
        return subscriptionHealth(sub, null);
    }

    static Health subscriptionHealth(SubscriptionReading sub, SubscriptionStats stats) {
        return HealthRules.subscription(sub, stats, 0, THRESHOLDS, NOW, null);
    }

    @Test
    void subscriptionRules() {
        assertThat(subscriptionHealth(subscription(true, 100))).isEqualTo(Health.HEALTHY);
        Health disabled = subscriptionHealth(subscription(false, null));
        assertThat(disabled.status()).isEqualTo(Status.WARNING);
        assertThat(disabled.reasons().get(0)).contains("disabled", "ALTER SUBSCRIPTION sub ENABLE");
        Health noWorker = subscriptionHealth(subscription(true, null));
        assertThat(noWorker.status()).isEqualTo(Status.CRITICAL);
        assertThat(noWorker.reasons().get(0)).contains("no apply worker");
    }

    @Test
    void newErrorsAreCriticalWhileRecentThenHistory() {
        SubscriptionStats stats = new SubscriptionStats(7, 1, null, null, 2, 1, null, NOW.minusSeconds(30), NOW.minusSeconds(3600));
        SubscriptionReading sub = subscription(true, 100);
        Health recent = subscriptionHealth(sub, stats);
        assertThat(recent.status()).isEqualTo(Status.CRITICAL);
        assertThat(recent.reasons().get(0)).startsWith("2 apply errors, 1 sync error since monitoring started, the latest 30 s ago");
        SubscriptionStats old = new SubscriptionStats(7, 1, null, null, 2, 1, null, NOW.minusSeconds(601), NOW.minusSeconds(3600));
        assertThat(subscriptionHealth(sub, old)).as("past error-recent (10 min)").isEqualTo(Health.HEALTHY);
        SubscriptionStats none = new SubscriptionStats(7, 1, null, null, 0, 0, null, null, NOW.minusSeconds(3600));
        assertThat(subscriptionHealth(sub, none)).as("old errors only").isEqualTo(Health.HEALTHY);
    }

    @Test
    void initialSyncThatDoesNotMoveIsStuck() {
        SubscriptionReading sub = subscription(true, 100);
        assertThat(HealthRules.subscription(sub, null, 1, THRESHOLDS, NOW, NOW.minusSeconds(120))).isEqualTo(Health.HEALTHY);
        Health stuck = HealthRules.subscription(sub, null, 1, THRESHOLDS, NOW, NOW.minusSeconds(700));
        assertThat(stuck.status()).isEqualTo(Status.CRITICAL);
        assertThat(stuck.reasons().get(0)).contains("1 table(s) not ready", "has not moved for 11 min 40 s");
    }

    @Test
    void safeWalSizeBelowTheHeadroomIsWarningAndInvalidationIsCritical() {
        SlotReading low = new SlotReading("s", "pgoutput", "app", false, false, true, 1, null, null, 0L, 0L, "extended",
                100L * 1024 * 1024, null, null, null, null, null, null);
        Health health = slotHealth(low);
        assertThat(health.status()).isEqualTo(Status.WARNING);
        assertThat(health.reasons().get(0)).contains("only 100.0 MiB of WAL", "threshold 1.0 GiB");
        SlotReading conflicting = new SlotReading("s", "pgoutput", "app", false, false, true, 1, null, null, 0L, 0L, "reserved",
                null, null, true, null, null, null, null);
        assertThat(slotHealth(conflicting).reasons().get(0)).contains("recovery conflict");
        SlotReading lost = new SlotReading("s", "pgoutput", "app", false, false, false, null, null, null, null, null, "lost",
                null, null, null, NOW, "wal_removed", null, null);
        Health lostHealth = slotHealth(lost);
        assertThat(lostHealth.reasons().get(0)).contains("wal_status lost, wal_removed");
        assertThat(lostHealth.reasons()).noneMatch(r -> r.startsWith("lag unknown"));
    }

    @Test
    void tableSyncSlotIsNotAnInactiveSlotButItsWalStillCounts() {
        SlotReading sync = new SlotReading("pg_16410_sync_16401_7711698196823065358", "pgoutput", "app", false, true, false, null,
                null, null, null, null, "reserved", null, null, null, NOW.minusSeconds(3600), null, null, null);
        assertThat(SlotReading.isTableSync(sync.name())).isTrue();
        assertThat(SlotReading.isTableSync("sub_orders")).isFalse();
        assertThat(slotHealth(sync)).isEqualTo(Health.HEALTHY);
        SlotReading unreserved = new SlotReading(sync.name(), "pgoutput", "app", false, true, false, null, null, null, null, null,
                "unreserved", -1L, null, null, NOW, null, null, null);
        assertThat(slotHealth(unreserved).status()).isEqualTo(Status.CRITICAL);
    }

    @Test
    void tableRules() {
        var pubs = java.util.Map.of("all_changes", Fixtures.publication("all_changes", "public.t"),
                "inserts", new PublicationInfo("inserts", false, true, false, false, false, 1, List.of("public.t")));
        assertThat(HealthRules.table(Fixtures.table("t", List.of(), true, 1), pubs).reasons())
                .containsExactly("in no publication: its rows will not reach the target");
        Health noKey = HealthRules.table(Fixtures.table("t", List.of("all_changes"), false, 1), pubs);
        assertThat(noKey.status()).isEqualTo(Status.CRITICAL);
        assertThat(noKey.reasons().get(0)).contains("all_changes publishes UPDATE/DELETE", "REPLICA IDENTITY FULL");
        assertThat(HealthRules.table(Fixtures.table("t", List.of("inserts"), false, 1), pubs))
                .as("insert-only publication needs no identity").isEqualTo(Health.HEALTHY);
    }

    static WalSenderReading sender(long pending, long sent, long flush, Long replayLag) {
        return new WalSenderReading(1, "sub", "sub", "streaming", new Lsn(sent), new Lsn(flush), new Lsn(flush),
                new Lsn(flush), replayLag, replayLag, replayLag, NOW, pending);
    }

    @Test
    void walSenderIdleIsToldApartFromStalled() {
        assertThat(HealthRules.walSenderActivity(sender(0, 100, 100, null), NOW.minusSeconds(600), THRESHOLDS, NOW))
                .isEqualTo(WalSenderActivity.IDLE);
        assertThat(HealthRules.walSenderActivity(sender(50, 150, 100, null), NOW.minusSeconds(5), THRESHOLDS, NOW))
                .as("lag columns gone, confirmed position moving: the source is quiet").isEqualTo(WalSenderActivity.IDLE);
        assertThat(HealthRules.walSenderActivity(sender(50, 150, 100, null), NOW.minusSeconds(61), THRESHOLDS, NOW))
                .as("all sent but nothing confirmed for a minute: a blocked subscriber, not a quiet source").isEqualTo(WalSenderActivity.STALLED);
        assertThat(HealthRules.walSenderActivity(sender(50, 120, 100, 300L), NOW.minusSeconds(5), THRESHOLDS, NOW))
                .isEqualTo(WalSenderActivity.STREAMING);
        WalSenderReading stalled = sender(50, 120, 100, 300L);
        assertThat(HealthRules.walSenderActivity(stalled, NOW.minusSeconds(61), THRESHOLDS, NOW)).isEqualTo(WalSenderActivity.STALLED);
        Health health = HealthRules.walSender(stalled, WalSenderActivity.STALLED, NOW.minusSeconds(61), NOW);
        assertThat(health.status()).isEqualTo(Status.CRITICAL);
        assertThat(health.reasons().get(0)).contains("50 B wait", "confirmed nothing for 61 s");
    }
}

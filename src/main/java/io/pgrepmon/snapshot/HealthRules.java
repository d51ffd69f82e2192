package io.pgrepmon.snapshot;

import io.pgrepmon.config.MonitorConfig.Thresholds;

import java.time.Duration;
import java.time.Instant;

/** The health rules, as pure functions of a reading, the thresholds and the time of the tick. */
public final class HealthRules {

    private HealthRules() {
    }

    public static Health slot(SlotInfo slot, Thresholds thresholds, Instant now) {
        Health.Builder health = new Health.Builder();
        if ("lost".equals(slot.walStatus())) {
            health.add(Status.CRITICAL, "WAL the slot needs has been removed (wal_status lost): its subscriber can never catch up;"
                    + " the subscription must be recreated");
        } else if ("unreserved".equals(slot.walStatus())) {
            health.add(Status.CRITICAL, "slot is past max_slot_wal_keep_size (wal_status unreserved): its WAL will be removed"
                    + " at the next checkpoint unless the subscriber catches up");
        }
        if (!slot.active()) {
            Duration inactive = slot.inactiveSince() == null ? Duration.ZERO : Duration.between(slot.inactiveSince(), now);
            if (inactive.isNegative()) {
                inactive = Duration.ZERO;
            }
            String retained = slot.retainedBytes() == null ? "" : ", retaining " + Units.bytes(slot.retainedBytes()) + " of WAL";
            if (inactive.compareTo(thresholds.slotInactive()) >= 0) {
                health.add(Status.CRITICAL, "slot inactive for " + Units.duration(inactive) + " (threshold "
                        + Units.duration(thresholds.slotInactive()) + "): no subscriber is consuming it" + retained);
            } else {
                health.add(Status.WARNING, "slot inactive for " + Units.duration(inactive) + ": no subscriber is connected" + retained);
            }
        }
        if (slot.lagBytes() == null) {
            health.add(Status.WARNING, "lag unknown: the slot has no confirmed flush position yet");
        } else if (slot.lagBytes() > thresholds.effectiveLagBytesCritical()) {
            health.add(Status.CRITICAL, Units.bytes(slot.lagBytes()) + " behind (critical above "
                    + Units.bytes(thresholds.effectiveLagBytesCritical()) + ")");
        } else if (slot.lagBytes() > thresholds.lagBytes()) {
            health.add(Status.WARNING, Units.bytes(slot.lagBytes()) + " behind (threshold " + Units.bytes(thresholds.lagBytes()) + ")");
        }
        return health.build();
    }

    public static Health subscription(SubscriptionInfo subscription) {
        Health.Builder health = new Health.Builder();
        if (!subscription.enabled()) {
            health.add(Status.WARNING, "subscription is disabled: no changes are applied (ALTER SUBSCRIPTION "
                    + subscription.name() + " ENABLE)");
        } else if (subscription.workerPid() == null) {
            health.add(Status.CRITICAL, "subscription is enabled but no apply worker is running: it is not replicating"
                    + " (the worker may be failing on an apply error; see the target's log)");
        }
        return health.build();
    }
}

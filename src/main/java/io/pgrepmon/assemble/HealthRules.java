package io.pgrepmon.assemble;

import io.pgrepmon.config.MonitorSettings.Thresholds;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.Units;
import io.pgrepmon.model.WalSenderActivity;
import io.pgrepmon.model.WalSenderReading;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The health rules, as pure functions of a reading, the thresholds and the time of the tick. */
public final class HealthRules {

    private HealthRules() {
    }

    /** @param inactiveSince since when the slot has had no consumer, as the monitor judged it */
    public static Health slot(SlotReading slot, Instant inactiveSince, Thresholds thresholds, Instant now) {
        Health.Builder health = new Health.Builder();
        if ("lost".equals(slot.walStatus())) {
            health.add(Status.CRITICAL, "WAL the slot needs has been removed (wal_status lost"
                    + (slot.invalidationReason() == null ? "" : ", " + slot.invalidationReason())
                    + "): its subscriber can never catch up; the subscription must be recreated");
        } else if ("unreserved".equals(slot.walStatus())) {
            health.add(Status.CRITICAL, "slot is past max_slot_wal_keep_size (wal_status unreserved): its WAL will be removed"
                    + " at the next checkpoint unless the subscriber catches up");
        } else if (slot.invalidationReason() != null) {
            health.add(Status.CRITICAL, "slot invalidated by the server (" + slot.invalidationReason()
                    + "): it can no longer be used; the subscription must be recreated");
        } else if (Boolean.TRUE.equals(slot.conflicting())) {
            health.add(Status.CRITICAL, "slot invalidated by a recovery conflict (conflicting): it can no longer be used");
        } else if (slot.safeWalSize() != null && slot.safeWalSize() < thresholds.safeWalSize()) {
            health.add(Status.WARNING, "only " + Units.bytes(Math.max(0, slot.safeWalSize())) + " of WAL may still be"
                    + " written before the slot loses WAL it needs (safe_wal_size, threshold "
                    + Units.bytes(thresholds.safeWalSize()) + ")");
        }
        if (slot.tableSync()) {
            // Made and dropped by the subscriber around one table's copy, idle while the copy runs: only the WAL it
            // holds back matters, which the rules above cover.
            return health.build();
        }
        if (!slot.active()) {
            Duration inactive = inactiveSince == null ? Duration.ZERO : Duration.between(inactiveSince, now);
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
            if (!"lost".equals(slot.walStatus())) {
                health.add(Status.WARNING, "lag unknown: the slot has no confirmed flush position yet");
            }
        } else if (slot.lagBytes() > thresholds.lagBytesCritical()) {
            health.add(Status.CRITICAL, Units.bytes(slot.lagBytes()) + " behind (critical above "
                    + Units.bytes(thresholds.lagBytesCritical()) + ")");
        } else if (slot.lagBytes() > thresholds.lagBytes()) {
            health.add(Status.WARNING, Units.bytes(slot.lagBytes()) + " behind (threshold " + Units.bytes(thresholds.lagBytes()) + ")");
        }
        return health.build();
    }

    /**
     * @param syncStillSince since when the subscription's initial sync (states and copy progress of its tables not
     *                       yet ready) has not moved; null when every table is ready
     */
    /**
     * @param stats          its error counters as changes since the monitor started; null before 15
     * @param notReady       how many of its tables are not ready
     * @param syncStillSince since when the initial sync has not moved; null when nothing is syncing
     */
    public static Health subscription(SubscriptionReading subscription, SubscriptionStats stats, long notReady,
                                      Thresholds thresholds, Instant now, Instant syncStillSince) {
        Health.Builder health = new Health.Builder();
        if (!subscription.enabled()) {
            health.add(Status.WARNING, "subscription is disabled: no changes are applied (ALTER SUBSCRIPTION "
                    + subscription.name() + " ENABLE)");
        } else if (subscription.workerPid() == null) {
            health.add(Status.CRITICAL, "subscription is enabled but no apply worker is running: it is not replicating"
                    + " (the worker may be failing on an apply error; see the target's log)");
        }
        if (stats != null && stats.newTotal() > 0 && stats.lastIncreaseAt() != null
                && Duration.between(stats.lastIncreaseAt(), now).compareTo(thresholds.errorRecent()) < 0) {
            StringBuilder what = new StringBuilder();
            append(what, stats.newApplyErrors(), "apply error");
            append(what, stats.newSyncErrors(), "sync error");
            append(what, stats.newConflicts() == null ? 0 : stats.newConflicts(), "conflict");
            health.add(Status.CRITICAL, what + " since monitoring started, the latest "
                    + Units.duration(Duration.between(stats.lastIncreaseAt(), now)) + " ago: see the target's log"
                    + " (a duplicate key or a missing row stops the apply worker until it is resolved)");
        }
        if (notReady > 0 && syncStillSince != null && subscription.enabled()) {
            Duration still = Duration.between(syncStillSince, now);
            if (still.compareTo(thresholds.tableSyncStuck()) >= 0) {
                health.add(Status.CRITICAL, notReady + " table(s) not ready and the initial sync has not moved for "
                        + Units.duration(still) + " (threshold " + Units.duration(thresholds.tableSyncStuck())
                        + "): check the target's log and max_sync_workers_per_subscription");
            }
        }
        return health.build();
    }

    private static void append(StringBuilder text, long count, String noun) {
        if (count > 0) {
            text.append(text.isEmpty() ? "" : ", ").append(count).append(' ').append(noun).append(count == 1 ? "" : "s");
        }
    }

    /**
     * A source table: Warning when no publication covers it, Critical when a publication replicates UPDATE or
     * DELETE for it and it has no usable replica identity (the source then rejects those statements).
     */
    public static Health table(TableReading table, Map<String, PublicationInfo> publications) {
        Health.Builder health = new Health.Builder();
        if (table.publications().isEmpty()) {
            health.add(Status.WARNING, "in no publication: its rows will not reach the target");
        } else if (!table.identityUsable()) {
            List<String> changing = table.publications().stream()
                    .filter(p -> publications.containsKey(p) && (publications.get(p).update() || publications.get(p).delete()))
                    .toList();
            if (!changing.isEmpty()) {
                health.add(Status.CRITICAL, "no primary key or usable replica identity (" + table.replicaIdentity()
                        + ") while " + String.join(", ", changing) + " publishes UPDATE/DELETE: the source rejects them"
                        + " (add a primary key, or ALTER TABLE " + table.qualifiedName() + " REPLICA IDENTITY FULL)");
            }
        }
        return health.build();
    }

    /**
     * What a walsender is doing; see {@link io.pgrepmon.model.WalSenderInfo#activity()}. Nothing pending is idle. Otherwise what
     * matters is whether the subscriber's confirmed position moves: a subscriber blocked on a lock receives
     * everything and confirms nothing, so "all sent" proves nothing. While it moves, null lag columns mean the
     * source is quiet (idle, the last bytes waiting for the next status report), measured lags mean streaming.
     */
    public static WalSenderActivity walSenderActivity(WalSenderReading sender, Instant flushStillSince, Thresholds thresholds,
                                           Instant now) {
        if (sender.pendingBytes() == null) {
            return WalSenderActivity.UNKNOWN;
        }
        if (sender.pendingBytes() == 0) {
            return WalSenderActivity.IDLE;
        }
        if (Duration.between(flushStillSince, now).compareTo(thresholds.walsenderStalled()) >= 0) {
            return WalSenderActivity.STALLED;
        }
        boolean lagsGone = sender.writeLagMillis() == null && sender.flushLagMillis() == null && sender.replayLagMillis() == null;
        return lagsGone ? WalSenderActivity.IDLE : WalSenderActivity.STREAMING;
    }

    public static Health walSender(WalSenderReading sender, WalSenderActivity activity, Instant flushStillSince,
                                   Instant now) {
        if (activity == WalSenderActivity.STALLED) {
            return new Health.Builder().add(Status.CRITICAL, "walsender stalled: " + Units.bytes(sender.pendingBytes())
                    + " wait and the subscriber has confirmed nothing for " + Units.duration(Duration.between(flushStillSince, now))).build();
        }
        if (activity == WalSenderActivity.UNKNOWN) {
            return new Health.Builder().add(Status.WARNING, "walsender positions hidden: the monitor's role lacks"
                    + " pg_read_all_stats (GRANT pg_monitor)").build();
        }
        return Health.HEALTHY;
    }
}

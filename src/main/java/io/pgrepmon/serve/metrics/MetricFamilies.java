package io.pgrepmon.serve.metrics;

import io.pgrepmon.model.AlertsView;
import io.pgrepmon.model.Codes;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Severity;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.WalSenderActivity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus series of one snapshot, computed from it alone (no query of its own). Names follow the Prometheus
 * conventions: one prefix, base units in the name, counters end in {@code _total} (added when registered), instants
 * as {@code _timestamp_seconds}, and a closed set as one 0/1 series per member labelled with its code.
 */
public final class MetricFamilies {

    /** Gauges are set to the snapshot's value; counters carry a total that only a reset lowers. */
    public enum Kind { GAUGE, COUNTER }

    /** Every family this class produces: its name (without a counter's {@code _total}), kind and help. */
    public enum Series {
        SNAPSHOT_TIMESTAMP_SECONDS("pgrepmon_snapshot_timestamp_seconds", Kind.GAUGE,
                "When the latest snapshot's tick began."),
        SNAPSHOT_SEQUENCE("pgrepmon_snapshot_sequence", Kind.GAUGE,
                "The latest snapshot's number, one more per tick since start."),
        REFRESH_INTERVAL_SECONDS("pgrepmon_refresh_interval_seconds", Kind.GAUGE,
                "The configured interval between ticks."),
        ALERTS_FIRING("pgrepmon_alerts_firing", Kind.GAUGE,
                "Alerts firing now, by severity."),
        WEBHOOK_DELIVERIES("pgrepmon_webhook_deliveries", Kind.COUNTER,
                "Alert notifications delivered to a webhook."),
        WEBHOOK_FAILURES("pgrepmon_webhook_failures", Kind.COUNTER,
                "Alert notifications a webhook did not accept."),
        DATABASE_UP("pgrepmon_database_up", Kind.GAUGE,
                "Whether the database answered its latest poll."),
        DATABASE_STATUS("pgrepmon_database_status", Kind.GAUGE,
                "The database's health: 1 for its current status, 0 for the others."),
        DATABASE_POLL_DURATION_SECONDS("pgrepmon_database_poll_duration_seconds", Kind.GAUGE,
                "How long the database's latest poll took."),
        DATABASE_PROBE_FAILURES("pgrepmon_database_probe_failures", Kind.COUNTER,
                "Probes that failed on the database, over all polls since the monitor started."),
        DATABASE_PROBES_FAILED("pgrepmon_database_probes_failed", Kind.GAUGE,
                "Probes that failed in the database's latest poll."),
        DATABASE_LAST_SUCCESS_TIMESTAMP_SECONDS("pgrepmon_database_last_success_timestamp_seconds", Kind.GAUGE,
                "When the database last answered a poll."),
        DATABASE_SERVER_VERSION("pgrepmon_database_server_version", Kind.GAUGE,
                "The server's version as server_version_num (150018 is 15.18)."),
        DATABASE_IN_RECOVERY("pgrepmon_database_in_recovery", Kind.GAUGE,
                "Whether the server is a standby (in recovery)."),
        DATABASE_CATALOG_READ_TIMESTAMP_SECONDS("pgrepmon_database_catalog_read_timestamp_seconds", Kind.GAUGE,
                "When the database's catalog (tables, publications) was last read."),
        SLOT_ACTIVE("pgrepmon_slot_active", Kind.GAUGE,
                "Whether a consumer is connected to the replication slot."),
        SLOT_LAG_BYTES("pgrepmon_slot_lag_bytes", Kind.GAUGE,
                "WAL the slot's consumer has not confirmed."),
        SLOT_RETAINED_WAL_BYTES("pgrepmon_slot_retained_wal_bytes", Kind.GAUGE,
                "WAL the slot keeps on the source's disk (from its restart position)."),
        SLOT_SAFE_WAL_BYTES("pgrepmon_slot_safe_wal_bytes", Kind.GAUGE,
                "WAL that may still be written before the slot is in danger of being lost (max_slot_wal_keep_size); absent when unlimited."),
        SLOT_WAL_STATUS("pgrepmon_slot_wal_status", Kind.GAUGE,
                "The slot's wal_status: 1 for its current one."),
        SLOT_INACTIVE_SINCE_TIMESTAMP_SECONDS("pgrepmon_slot_inactive_since_timestamp_seconds", Kind.GAUGE,
                "Since when the slot has had no consumer."),
        SLOT_STATUS("pgrepmon_slot_status", Kind.GAUGE,
                "The slot's health: 1 for its current status."),
        SUBSCRIPTION_ENABLED("pgrepmon_subscription_enabled", Kind.GAUGE,
                "Whether the subscription is enabled."),
        SUBSCRIPTION_WORKER_RUNNING("pgrepmon_subscription_worker_running", Kind.GAUGE,
                "Whether the subscription's apply worker is running."),
        SUBSCRIPTION_LAST_MSG_RECEIPT_TIMESTAMP_SECONDS("pgrepmon_subscription_last_msg_receipt_timestamp_seconds", Kind.GAUGE,
                "When the apply worker last received a message from the source."),
        SUBSCRIPTION_STATUS("pgrepmon_subscription_status", Kind.GAUGE,
                "The subscription's health: 1 for its current status."),
        SUBSCRIPTION_TABLES_NOT_READY("pgrepmon_subscription_tables_not_ready", Kind.GAUGE,
                "The subscription's tables whose initial sync has not finished."),
        SUBSCRIPTION_SYNC_MOVED_TIMESTAMP_SECONDS("pgrepmon_subscription_sync_moved_timestamp_seconds", Kind.GAUGE,
                "While tables are not ready: when their sync states or copy progress last moved."),
        TABLE_SYNC_STATE("pgrepmon_table_sync_state", Kind.GAUGE,
                "The subscribed table's sync state: 1 for its current one."),
        TABLE_COPIED_BYTES("pgrepmon_table_copied_bytes", Kind.GAUGE,
                "Bytes of the table's initial copy processed so far."),
        PAIR_STATUS("pgrepmon_pair_status", Kind.GAUGE,
                "The pair's health: 1 for its current status."),
        PAIR_LAG_BYTES("pgrepmon_pair_lag_bytes", Kind.GAUGE,
                "WAL the source has written that the target has not confirmed."),
        PAIR_LAG_SECONDS("pgrepmon_pair_lag_seconds", Kind.GAUGE,
                "How far behind the target is in time, by the method labelled (heartbeat, caught-up, replay-lag, lower-bound, apply-rate)."),
        PAIR_APPLY_RATE_BYTES_PER_SECOND("pgrepmon_pair_apply_rate_bytes_per_second", Kind.GAUGE,
                "The recent rate at which the target confirms the source's WAL."),
        PAIR_WALSENDER_ACTIVITY("pgrepmon_pair_walsender_activity", Kind.GAUGE,
                "The source's walsender for the pair: 1 for its current activity."),
        PAIR_TABLES("pgrepmon_pair_tables", Kind.GAUGE,
                "The pair's subscribed tables in each sync state."),
        PAIR_TABLES_MISSING("pgrepmon_pair_tables_missing", Kind.GAUGE,
                "Tables the source publishes that the subscription does not have."),
        PAIR_APPLY_ERRORS("pgrepmon_pair_apply_errors", Kind.COUNTER,
                "Errors of the subscription's apply worker (pg_stat_subscription_stats)."),
        PAIR_SYNC_ERRORS("pgrepmon_pair_sync_errors", Kind.COUNTER,
                "Errors of the subscription's table-sync workers (pg_stat_subscription_stats)."),
        PAIR_CONFLICTS("pgrepmon_pair_conflicts", Kind.COUNTER,
                "Conflicts met while applying, by type (PostgreSQL 18+)."),
        PAIR_CUTOVER_READY("pgrepmon_pair_cutover_ready", Kind.GAUGE,
                "Whether the pair is Ready for cutover: every check passes."),
        PAIR_CUTOVER_CHECK("pgrepmon_pair_cutover_check", Kind.GAUGE,
                "Each cutover check of the pair: 1 for its current result."),
        PAIR_DEEP_CHECK_TIMESTAMP_SECONDS("pgrepmon_pair_deep_check_timestamp_seconds", Kind.GAUGE,
                "When the pair's deep checks last ran.");

        public final String prometheusName;
        public final Kind kind;
        public final String help;

        Series(String prometheusName, Kind kind, String help) {
            this.prometheusName = prometheusName;
            this.kind = kind;
            this.help = help;
        }
    }

    /**
     * One series of a family.
     *
     * @param labels bounded: database, pair, slot, subscription, and a closed set's member
     */
    public record Sample(Series series, Map<String, String> labels, double value) {
    }

    /** PostgreSQL's sync states of a subscribed table ({@code srsubstate}), by their names in its source. */
    public static final Map<String, String> TABLE_STATES = Map.of("i", "init", "d", "datasync", "f", "finishedcopy",
            "s", "syncdone", "r", "ready");
    static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost");

    private final List<Sample> samples = new ArrayList<>();

    private MetricFamilies() {
    }

    /**
     * @param perTable      one series per subscribed table
     * @param probeFailures per database, the probe failures counted over every snapshot so far (this one included)
     */
    public static List<Sample> of(Snapshot snapshot, boolean perTable, Map<String, Long> probeFailures) {
        MetricFamilies m = new MetricFamilies();
        m.monitor(snapshot);
        for (DatabaseSnapshot db : snapshot.databases()) {
            m.database(db, probeFailures.getOrDefault(db.name(), 0L), perTable);
        }
        for (PairInfo pair : snapshot.pairs()) {
            m.pair(pair, snapshot);
        }
        for (PairCutover cutover : snapshot.cutover()) {
            m.cutover(cutover);
        }
        return List.copyOf(m.samples);
    }

    /** Probe failures in one snapshot, per database: what {@code pgrepmon_database_probe_failures_total} adds. */
    public static Map<String, Long> probeFailures(Snapshot snapshot) {
        Map<String, Long> failed = new LinkedHashMap<>();
        for (DatabaseSnapshot db : snapshot.databases()) {
            failed.put(db.name(), db.probes().stream().filter(p -> p.error() != null).count());
        }
        return failed;
    }

    private void monitor(Snapshot s) {
        gauge(Series.SNAPSHOT_TIMESTAMP_SECONDS, Map.of(), seconds(s.takenAt()));
        gauge(Series.SNAPSHOT_SEQUENCE, Map.of(), s.sequence());
        gauge(Series.REFRESH_INTERVAL_SECONDS, Map.of(), s.intervalMillis() / 1000.0);
        AlertsView alerts = s.alerts();
        for (Severity severity : Severity.values()) {
            gauge(Series.ALERTS_FIRING, Map.of("severity", severity.code()),
                    alerts.active().stream().filter(a -> a.severity() == severity).count());
        }
        for (AlertsView.Notifier notifier : alerts.notifiers()) {
            Map<String, String> webhook = Map.of("webhook", notifier.name());
            counter(Series.WEBHOOK_DELIVERIES, webhook, notifier.sent());
            counter(Series.WEBHOOK_FAILURES, webhook, notifier.failed());
        }
    }

    private void database(DatabaseSnapshot db, long probeFailures, boolean perTable) {
        Map<String, String> d = Map.of("database", db.name(), "role", db.role().json());
        gauge(Series.DATABASE_UP, d, db.reachable() ? 1 : 0);
        states(Series.DATABASE_STATUS, d,
                Status.values(), db.health().status());
        gauge(Series.DATABASE_POLL_DURATION_SECONDS, d, db.pollMillis() / 1000.0);
        counter(Series.DATABASE_PROBE_FAILURES,
                d, probeFailures);
        gauge(Series.DATABASE_PROBES_FAILED, d,
                db.probes().stream().filter(p -> p.error() != null).count());
        if (db.lastSuccessAt() != null) {
            gauge(Series.DATABASE_LAST_SUCCESS_TIMESTAMP_SECONDS, d,
                    seconds(db.lastSuccessAt()));
        }
        if (db.server() != null) {
            gauge(Series.DATABASE_SERVER_VERSION, d,
                    db.server().versionNum());
            gauge(Series.DATABASE_IN_RECOVERY, d, db.server().inRecovery() ? 1 : 0);
        }
        if (db.catalogReadAt() != null) {
            gauge(Series.DATABASE_CATALOG_READ_TIMESTAMP_SECONDS,
                    d, seconds(db.catalogReadAt()));
        }
        for (SlotInfo slot : db.slots()) {
            slot(db, slot);
        }
        for (SubscriptionInfo sub : db.subscriptions()) {
            subscription(db, sub, perTable);
        }
    }

    private void slot(DatabaseSnapshot db, SlotInfo slot) {
        Map<String, String> l = Map.of("database", db.name(), "slot", slot.reading().name());
        gauge(Series.SLOT_ACTIVE, l, slot.reading().active() ? 1 : 0);
        if (slot.reading().lagBytes() != null) {
            gauge(Series.SLOT_LAG_BYTES, l, slot.reading().lagBytes());
        }
        if (slot.reading().retainedBytes() != null) {
            gauge(Series.SLOT_RETAINED_WAL_BYTES, l,
                    slot.reading().retainedBytes());
        }
        if (slot.reading().safeWalSize() != null) {
            gauge(Series.SLOT_SAFE_WAL_BYTES, l, slot.reading().safeWalSize());
        }
        if (slot.reading().walStatus() != null) {
            for (String status : WAL_STATUSES) {
                gauge(Series.SLOT_WAL_STATUS, with(l, "state", status),
                        status.equals(slot.reading().walStatus()) ? 1 : 0);
            }
        }
        if (slot.inactiveSince() != null && !slot.reading().active()) {
            gauge(Series.SLOT_INACTIVE_SINCE_TIMESTAMP_SECONDS, l,
                    seconds(slot.inactiveSince()));
        }
        states(Series.SLOT_STATUS, l, Status.values(), slot.health().status());
    }

    private void subscription(DatabaseSnapshot db, SubscriptionInfo sub, boolean perTable) {
        Map<String, String> l = Map.of("database", db.name(), "subscription", sub.name());
        gauge(Series.SUBSCRIPTION_ENABLED, l, sub.reading().enabled() ? 1 : 0);
        gauge(Series.SUBSCRIPTION_WORKER_RUNNING, l,
                sub.reading().workerPid() != null ? 1 : 0);
        if (sub.reading().lastMsgReceiptTime() != null) {
            gauge(Series.SUBSCRIPTION_LAST_MSG_RECEIPT_TIMESTAMP_SECONDS, l, seconds(sub.reading().lastMsgReceiptTime()));
        }
        states(Series.SUBSCRIPTION_STATUS, l, Status.values(),
                sub.health().status());
        gauge(Series.SUBSCRIPTION_TABLES_NOT_READY, l,
                sub.tablesNotReady());
        if (sub.syncMovedAt() != null) {
            gauge(Series.SUBSCRIPTION_SYNC_MOVED_TIMESTAMP_SECONDS, l, seconds(sub.syncMovedAt()));
        }
        if (perTable) {
            for (SubscriptionTable t : sub.tables()) {
                Map<String, String> table = with(l, "table", t.qualifiedName());
                for (Map.Entry<String, String> state : TABLE_STATES.entrySet()) {
                    gauge(Series.TABLE_SYNC_STATE,
                            with(table, "state", state.getValue()), state.getKey().equals(t.state()) ? 1 : 0);
                }
                if (t.copy() != null) {
                    gauge(Series.TABLE_COPIED_BYTES, table,
                            t.copy().bytesProcessed());
                }
            }
        }
    }

    private void pair(PairInfo pair, Snapshot snapshot) {
        Map<String, String> l = pairLabels(pair);
        states(Series.PAIR_STATUS, l, Status.values(), pair.health().status());
        if (pair.lagBytes() != null) {
            gauge(Series.PAIR_LAG_BYTES, l, pair.lagBytes());
        }
        if (pair.lagSeconds() != null) {
            LagMethod method = pair.lagMethod() == null ? LagMethod.UNKNOWN : pair.lagMethod();
            gauge(Series.PAIR_LAG_SECONDS, with(l, "method", method.code()), pair.lagSeconds());
        }
        if (pair.applyRateBytesPerSecond() != null) {
            gauge(Series.PAIR_APPLY_RATE_BYTES_PER_SECOND,
                    l, pair.applyRateBytesPerSecond());
        }
        if (pair.walSender() != null) {
            states(Series.PAIR_WALSENDER_ACTIVITY, l,
                    WalSenderActivity.values(), pair.walSender());
        }
        for (Map.Entry<String, String> state : TABLE_STATES.entrySet()) {
            gauge(Series.PAIR_TABLES, with(l, "state", state.getValue()),
                    pair.tableStates().getOrDefault(state.getKey(), 0));
        }
        gauge(Series.PAIR_TABLES_MISSING, l,
                pair.missingTables().size());
        DatabaseSnapshot target = snapshot.database(pair.targetDatabase());
        SubscriptionStats stats = target == null ? null : target.subscriptions().stream()
                .filter(s -> s.name().equals(pair.subscription())).map(SubscriptionInfo::stats).filter(s -> s != null)
                .findFirst().orElse(null);
        if (stats != null) {
            counter(Series.PAIR_APPLY_ERRORS, l,
                    stats.applyErrors());
            counter(Series.PAIR_SYNC_ERRORS, l,
                    stats.syncErrors());
            if (stats.conflicts() != null) {
                for (Map.Entry<String, Long> conflict : stats.conflicts().entrySet()) {
                    counter(Series.PAIR_CONFLICTS,
                            with(l, "type", conflict.getKey()), conflict.getValue());
                }
            }
        }
    }

    private void cutover(PairCutover cutover) {
        Map<String, String> l = Map.of("pair", cutover.pair());
        gauge(Series.PAIR_CUTOVER_READY, l,
                cutover.verdict() == PairCutover.Verdict.READY ? 1 : 0);
        for (CutoverCheck check : cutover.checks()) {
            for (CutoverCheck.Result result : CutoverCheck.Result.values()) {
                gauge(Series.PAIR_CUTOVER_CHECK,
                        with(with(l, "check", check.id()), "result", result.code()), check.result() == result ? 1 : 0);
            }
        }
        if (cutover.deepCheckedAt() != null) {
            gauge(Series.PAIR_DEEP_CHECK_TIMESTAMP_SECONDS, l,
                    seconds(cutover.deepCheckedAt()));
        }
    }

    private static Map<String, String> pairLabels(PairInfo pair) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("pair", pair.name());
        l.put("source", pair.sourceDatabase() == null ? "" : pair.sourceDatabase());
        l.put("target", pair.targetDatabase() == null ? "" : pair.targetDatabase());
        return l;
    }

    private <E extends Enum<E>> void states(Series series, Map<String, String> labels, E[] members, E current) {
        for (E member : members) {
            gauge(series, with(labels, "state", Codes.of(member)), member == current ? 1 : 0);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(key, value);
        return more;
    }

    private void gauge(Series series, Map<String, String> labels, double value) {
        samples.add(new Sample(series, labels, value));
    }

    private void counter(Series series, Map<String, String> labels, double value) {
        samples.add(new Sample(series, labels, value));
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }
}

package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.config.SslMode;
import io.pgrepmon.model.Lsn;
import io.pgrepmon.model.ServerInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statement each probe sends to which server version, without a server: the version traps (columns that
 * appear in 14, 15, 16, 17, 18) are decided here, and VersionMatrixTests runs the same statements on real clusters.
 */
class ProbeSqlTest {

    static final List<Integer> VERSIONS = List.of(130000, 140000, 150000, 160000, 170000, 180000);

    static ServerInfo server(int versionNum) {
        return new ServerInfo(versionNum, Integer.toString(versionNum / 10000), false, new Lsn(0), "monitor", true);
    }

    static DatabaseSettings db(Role role, String heartbeatSchema) {
        return new DatabaseSettings("db", "localhost", 5432, "monitor", null, "app", role, SslMode.DISABLE, null, null,
                heartbeatSchema);
    }

    static <P extends Probe<?>> P probe(Class<P> type) {
        return type.cast(Probes.ALL.stream().filter(type::isInstance).findFirst().orElseThrow());
    }

    static String sql(Class<? extends Probe<?>> type, Role role, int versionNum) {
        return probe(type).sql(db(role, "public"), server(versionNum));
    }

    @Test
    void everyProbeIsRegisteredOnceAndHasAStatementForEveryVersionItAppliesTo() {
        assertThat(Probes.ALL.stream().map(p -> p.getClass()).distinct()).hasSameSizeAs(Probes.ALL);
        assertThat(Probes.ALL.stream().map(Probe::name).distinct()).hasSameSizeAs(Probes.ALL);
        for (Probe<?> probe : Probes.ALL) {
            for (Role role : Role.values()) {
                for (int v : VERSIONS) {
                    if (probe.appliesTo(db(role, "public"), server(v))) {
                        assertThat(probe.sql(db(role, "public"), server(v)))
                                .as("%s on a %s %d", probe.name(), role, v).isNotBlank().doesNotContain("%s");
                    }
                }
            }
        }
    }

    @Test
    void probesApplyByRoleAndVersion() {
        assertThat(applying(Role.SOURCE, 130000)).containsExactly("activity", "slots", "walsenders", "publications",
                "tables", "fingerprint", "heartbeat");
        assertThat(applying(Role.SOURCE, 140000)).containsExactly("activity", "slots", "slot-stats", "walsenders",
                "publications", "tables", "fingerprint", "heartbeat");
        assertThat(applying(Role.SOURCE, 150000)).containsExactly("activity", "slots", "slot-stats", "walsenders",
                "publications", "publication-filters", "tables", "fingerprint", "heartbeat");
        assertThat(applying(Role.SOURCE, 180000)).isEqualTo(applying(Role.SOURCE, 150000));
        assertThat(applying(Role.TARGET, 140000)).containsExactly("activity", "fingerprint", "subscriptions",
                "subscription-tables", "heartbeat");
        assertThat(sql(ActivityProbe.class, Role.TARGET, 150000)).as("the subscriptions' own workers are no writers")
                .contains("backend_type NOT LIKE 'logical replication %'");
        assertThat(sql(ActivityProbe.class, Role.SOURCE, 150000)).doesNotContain("logical replication");
        assertThat(applying(Role.TARGET, 150000)).containsExactly("activity", "fingerprint", "subscriptions",
                "subscription-tables", "subscription-stats", "heartbeat");
        assertThat(applying(Role.TARGET, 180000)).isEqualTo(applying(Role.TARGET, 150000));
        assertThat(Probes.ALL.stream().filter(p -> p.appliesTo(db(Role.SOURCE, null), server(170000))).map(Probe::name))
                .as("no heartbeat without a configured one").doesNotContain("heartbeat");
        ServerInfo standby = new ServerInfo(170000, "17", true, new Lsn(0), "monitor", true);
        assertThat(probe(HeartbeatProbe.class).appliesTo(db(Role.SOURCE, "public"), standby))
                .as("a standby cannot be written to").isFalse();
    }

    @Test
    void theFingerprintReadsRowFiltersAndSchemasFrom15AndTheOriginFrom16() {
        assertThat(sql(FingerprintProbe.class, Role.SOURCE, 140000))
                .doesNotContain("prqual", "pg_publication_namespace", "suborigin", "indnullsnotdistinct")
                .contains("relfilenode", "pg_attrdef", "pg_index", "pg_sequence_last_value", "pg_subscription_rel");
        assertThat(sql(FingerprintProbe.class, Role.SOURCE, 150000))
                .contains("prqual", "prattrs", "pg_publication_namespace", "indnullsnotdistinct")
                .doesNotContain("suborigin");
        assertThat(sql(FingerprintProbe.class, Role.TARGET, 160000)).contains("s.suborigin");
        assertThat(sql(FingerprintProbe.class, Role.TARGET, 130000)).isEqualTo(sql(FingerprintProbe.class, Role.SOURCE, 130000));
    }

    /** A commit the activity statement no longer sees as a writer must lie inside the position slot lag is taken at. */
    @Test
    void activityIsReadBeforeTheSlots() {
        List<String> order = Probes.ALL.stream().map(Probe::name).toList();
        assertThat(order.indexOf("activity")).isLessThan(order.indexOf("slots"));
    }

    private static List<String> applying(Role role, int versionNum) {
        return Probes.ALL.stream().filter(p -> p.appliesTo(db(role, "public"), server(versionNum))).map(Probe::name).toList();
    }

    @Test
    void slotColumnsArriveWithTheirVersionsAndAreTypedNullsBefore() {
        assertThat(sql(SlotsProbe.class, Role.SOURCE, 130000)).contains("NULL::boolean AS two_phase",
                "NULL::boolean AS conflicting", "NULL::timestamptz AS inactive_since", "NULL::text AS invalidation_reason",
                "NULL::boolean AS failover", "NULL::boolean AS synced");
        assertThat(sql(SlotsProbe.class, Role.SOURCE, 150000)).contains("two_phase AS two_phase",
                "NULL::boolean AS conflicting", "NULL::timestamptz AS inactive_since");
        assertThat(sql(SlotsProbe.class, Role.SOURCE, 170000)).contains("conflicting AS conflicting",
                "inactive_since AS inactive_since", "invalidation_reason AS invalidation_reason", "failover AS failover",
                "synced AS synced").doesNotContain("NULL::");
        assertThat(sql(SlotsProbe.class, Role.SOURCE, 180000)).isEqualTo(sql(SlotsProbe.class, Role.SOURCE, 170000));
    }

    @Test
    void subscriptionsFindTheApplyWorkerAndStreamingModeAsEachVersionSaysThem() {
        String v13 = sql(SubscriptionsProbe.class, Role.TARGET, 130000);
        assertThat(v13).contains("x.subname = s.subname", "w.relid IS NULL", "NULL::text", "NULL::boolean")
                .doesNotContain("substream", "leader_pid", "worker_type");
        String v15 = sql(SubscriptionsProbe.class, Role.TARGET, 150000);
        assertThat(v15).contains("x.subid = s.oid", "CASE WHEN s.substream THEN 'on' ELSE 'off' END",
                "s.subtwophasestate::text", "s.subdisableonerr").doesNotContain("leader_pid", "worker_type");
        String v16 = sql(SubscriptionsProbe.class, Role.TARGET, 160000);
        assertThat(v16).contains("WHEN 'p' THEN 'parallel'", "w.relid IS NULL AND w.leader_pid IS NULL",
                "x.leader_pid IS NOT NULL").doesNotContain("worker_type");
        String v17 = sql(SubscriptionsProbe.class, Role.TARGET, 170000);
        assertThat(v17).contains("w.worker_type = 'apply'", "WHEN 'p' THEN 'parallel'");
        assertThat(sql(SubscriptionsProbe.class, Role.TARGET, 180000)).isEqualTo(v17);
        assertThat(v17).as("the connection string may hold the publisher's password").doesNotContain("subconninfo");
    }

    @Test
    void subscriptionTablesJoinCopyProgressFrom14AndConflictCountersArriveIn18() {
        assertThat(sql(SubscriptionTablesProbe.class, Role.TARGET, 130000)).doesNotContain("pg_stat_progress_copy");
        assertThat(sql(SubscriptionTablesProbe.class, Role.TARGET, 140000)).contains("pg_stat_progress_copy",
                "bytes_processed", "tuples_processed");
        assertThat(sql(SubscriptionTablesProbe.class, Role.TARGET, 180000))
                .isEqualTo(sql(SubscriptionTablesProbe.class, Role.TARGET, 140000));
        assertThat(sql(SubscriptionStatsProbe.class, Role.TARGET, 150000)).contains("apply_error_count")
                .doesNotContain("confl_");
        assertThat(sql(SubscriptionStatsProbe.class, Role.TARGET, 180000)).contains("st.confl_");
    }

    @Test
    void theHeartbeatIsWrittenOnASourceAndReadOnATargetInItsQuotedSchema() {
        HeartbeatProbe heartbeat = probe(HeartbeatProbe.class);
        assertThat(heartbeat.sql(db(Role.SOURCE, "Ops \"x\""), server(150000)))
                .startsWith("INSERT INTO \"Ops \"\"x\"\"\"." + HeartbeatProbe.TABLE).contains("RETURNING beat");
        assertThat(heartbeat.sql(db(Role.TARGET, "ops"), server(150000)))
                .startsWith("SELECT beat").contains("FROM \"ops\"." + HeartbeatProbe.TABLE);
    }
}

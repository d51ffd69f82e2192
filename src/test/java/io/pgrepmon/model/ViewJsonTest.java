package io.pgrepmon.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A view wraps what the server said with what the monitor judged; clients still read one flat object with
 * the same fields as before the split.
 */
class ViewJsonTest {

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static List<String> fields(Object value) {
        JsonNode node = MAPPER.valueToTree(value);
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aTableIsOneObject() {
        TableInfo table = new TableInfo(new TableReading("public", "t", List.of("pub"), true, "default", true, 10, 5L),
                Health.HEALTHY);
        assertThat(fields(table)).containsExactlyInAnyOrder("schema", "name", "publications", "hasPrimaryKey",
                "replicaIdentity", "identityUsable", "sizeBytes", "estimatedRows", "health");
        assertThat(MAPPER.valueToTree(table).get("name").asText()).isEqualTo("t");
        TableInfo partition = new TableInfo(new TableReading("public", "t_1", List.of("pub"), true, "default", true, 10, 5L,
                List.of("public.t")), Health.HEALTHY);
        assertThat(MAPPER.valueToTree(partition).get("partitionOf").get(0).asText()).isEqualTo("public.t");
    }

    @Test
    void aWalSenderIsOneObject() {
        WalSenderInfo sender = new WalSenderInfo(new WalSenderReading(7, "sub", "sub", "streaming", new Lsn(1), new Lsn(1),
                new Lsn(1), new Lsn(1), 1L, 2L, 3L, Instant.EPOCH, 0L), WalSenderActivity.IDLE, null, Health.HEALTHY);
        assertThat(fields(sender)).containsExactlyInAnyOrder("pid", "applicationName", "slotName", "state", "sentLsn",
                "writeLsn", "flushLsn", "replayLsn", "writeLagMillis", "flushLagMillis", "replayLagMillis", "replyTime",
                "pendingBytes", "activity", "stalledSince", "health");
        assertThat(MAPPER.valueToTree(sender).get("activity").asText()).isEqualTo("idle");
    }

    @Test
    void aSlotIsOneObjectWhoseInactiveSinceIsTheMonitorsJudgment() {
        Instant seen = Instant.parse("2026-01-01T00:00:00Z");
        SlotInfo slot = new SlotInfo(new SlotReading("s", "pgoutput", "app", false, false, false, null, new Lsn(1),
                new Lsn(2), 0L, 0L, "reserved", null, null, null, null, null, null, null), seen, null, Health.HEALTHY);
        assertThat(fields(slot)).containsExactlyInAnyOrder("name", "plugin", "database", "temporary", "tableSync",
                "active", "activePid", "restartLsn", "confirmedFlushLsn", "lagBytes", "retainedBytes", "walStatus",
                "safeWalSize", "twoPhase", "conflicting", "inactiveSince", "invalidationReason", "failover", "synced",
                "stats", "health");
        assertThat(MAPPER.valueToTree(slot).get("inactiveSince").asText()).startsWith("2026-01-01");
    }

    @Test
    void aSubscriptionIsOneObject() {
        SubscriptionInfo sub = new SubscriptionInfo(new SubscriptionReading("sub", true, "slot", List.of("pub"), 9,
                new Lsn(1), new Lsn(1), null, null, null, null, null, "off", "d", false, 0, null, null), Instant.EPOCH,
                List.of(), java.util.Map.of("r", 1), null, Health.HEALTHY);
        assertThat(fields(sub)).containsExactlyInAnyOrder("name", "enabled", "slotName", "publications", "workerPid",
                "workerSince", "receivedLsn", "latestEndLsn", "lastMsgSendTime", "lastMsgReceiptTime", "latestEndTime",
                "lastMsgSendAgeMillis", "lastMsgReceiptAgeMillis", "streaming", "twoPhase", "disableOnError",
                "syncWorkers", "parallelWorkers", "origin", "tables", "tableStates", "stats", "health", "syncMovedAt");
    }
}

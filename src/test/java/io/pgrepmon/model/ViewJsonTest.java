package io.pgrepmon.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

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
}

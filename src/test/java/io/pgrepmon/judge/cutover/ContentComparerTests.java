package io.pgrepmon.judge.cutover;

import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ReplicationPair;
import io.pgrepmon.model.TableContent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The content comparison over many key ranges on real clusters: a bigint key bounded by parameters (the walkthrough
 * met the failure: the ranges' bounds went to the server as text against a parameter typed bigint).
 */
class ContentComparerTests {

    static final int ROWS = 1000;
    static ReplicationPair pair;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        pair = ReplicationPair.start(15, 15);
        pair.insertRows(ROWS - 100, 10); // the pair starts with 100
        Replication.await(Duration.ofSeconds(60), "the rows reach the target", () -> Replication.count(pair.target(),
                ReplicationPair.DATABASE, "SELECT count(*) FROM orders") == ROWS);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (pair != null) {
            pair.close();
        }
    }

    static SqlConnection connect(io.pgrepmon.harness.PgCluster cluster) {
        return PgConnection.connect(vertx, new PgConnectOptions().setHost(cluster.host()).setPort(cluster.port())
                .setDatabase(ReplicationPair.DATABASE).setUser("postgres").setPassword(cluster.password()))
                .await().atMost(Duration.ofSeconds(10));
    }

    static TableContent compare() {
        SqlConnection source = connect(pair.source());
        SqlConnection target = connect(pair.target());
        try {
            return new ContentComparer(source, target, ReplicationPair.SUBSCRIPTION, 1_000_000, 100, Duration.ZERO, rows -> { })
                    .compare("public.orders", "public.orders", (long) ROWS).await().atMost(Duration.ofSeconds(60));
        } finally {
            source.closeAndAwait();
            target.closeAndAwait();
        }
    }

    @Test
    void aBigintKeyInRangesOfAHundredMatchesThenFindsTheRangeOfAChangedRow() {
        TableContent same = compare();
        assertThat(same.result()).as(same.toString()).isEqualTo(TableContent.Result.MATCH);
        assertThat(same.chunks()).isEqualTo(11);
        assertThat(same.rows()).isEqualTo(ROWS);

        pair.target().execute(ReplicationPair.DATABASE, "UPDATE orders SET amount = amount + 1 WHERE id = 550");
        TableContent changed = compare();
        assertThat(changed.result()).as(changed.toString()).isEqualTo(TableContent.Result.DIFFER);
        assertThat(changed.detail()).contains("key range (500 .. 600]");
    }
}

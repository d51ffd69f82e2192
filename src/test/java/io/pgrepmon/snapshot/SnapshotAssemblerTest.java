package io.pgrepmon.snapshot;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.config.SslMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotAssemblerTest {

    static final DatabaseSettings SOURCE = settings("src", Role.SOURCE);
    static final DatabaseSettings TARGET = settings("dst", Role.TARGET);
    static final DatabaseSettings OTHER_SOURCE = settings("src2", Role.SOURCE);
    static final ServerInfo SERVER = new ServerInfo(150004, "15.4", false, Lsn.parse("0/100"));

    static DatabaseSettings settings(String name, Role role) {
        return new DatabaseSettings(name, "h", 5432, "u", "pw", "app", role, SslMode.DISABLE, null);
    }

    static DatabaseReading source(DatabaseSettings db, Instant at, SlotInfo... slots) {
        return new DatabaseReading(db, at, 3, SERVER, null, List.of(), List.of(slots), List.of(), List.of());
    }

    static DatabaseReading target(Instant at, SubscriptionInfo... subscriptions) {
        return new DatabaseReading(TARGET, at, 3, SERVER, null, List.of(), List.of(), List.of(), List.of(subscriptions));
    }

    static SlotInfo slot(String name, boolean active, long lag) {
        return new SlotInfo(name, "pgoutput", "app", active, active ? 7 : null, Lsn.parse("0/1"), Lsn.parse("0/2"),
                lag, lag, "reserved", null, null, null);
    }

    static SubscriptionInfo sub(String name, String slot) {
        return new SubscriptionInfo(name, true, slot, List.of("pub"), 9, null, null, null, null, null, null);
    }

    final SnapshotAssembler assembler = new SnapshotAssembler(new Thresholds(), Duration.ofSeconds(5));
    final Instant t0 = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void linksSubscriptionToTheSlotOfTheSameNameAndCountsEverything() {
        Snapshot s = assembler.assemble(List.of(source(SOURCE, t0, slot("orders", true, 10)), target(t0, sub("orders", "orders"))), t0, 4);
        assertThat(s.sequence()).isEqualTo(1);
        assertThat(s.status()).isEqualTo(Status.HEALTHY);
        assertThat(s.pairs()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("orders");
            assertThat(p.sourceDatabase()).isEqualTo("src");
            assertThat(p.lagBytes()).isEqualTo(10);
        });
        assertThat(s.summary()).isEqualTo(new Summary(2, 1, 1, 2, 0, 0, 0, 1, 1, 1, 1, 1, 10L, "orders"));
    }

    @Test
    void inactiveSinceIsRememberedAcrossTicksBeforePostgres17() {
        assembler.assemble(List.of(source(SOURCE, t0, slot("orders", false, 0))), t0, 1);
        Instant later = t0.plusSeconds(61);
        Snapshot s = assembler.assemble(List.of(source(SOURCE, later, slot("orders", false, 0))), later, 1);
        SlotInfo slot = s.databases().get(0).slots().get(0);
        assertThat(slot.inactiveSince()).isEqualTo(t0);
        assertThat(slot.health().status()).isEqualTo(Status.CRITICAL);
        assertThat(s.databases().get(0).health().reasons()).containsExactly("slot orders is critical");

        // Once active again, a later idle spell counts from its own start.
        assembler.assemble(List.of(source(SOURCE, later, slot("orders", true, 0))), later, 1);
        Instant again = later.plusSeconds(5);
        SlotInfo fresh = assembler.assemble(List.of(source(SOURCE, again, slot("orders", false, 0))), again, 1)
                .databases().get(0).slots().get(0);
        assertThat(fresh.inactiveSince()).isEqualTo(again);
        assertThat(fresh.health().status()).isEqualTo(Status.WARNING);
    }

    @Test
    void unreachableDatabaseIsDownAndKeepsItsLastSuccessAndItsPairs() {
        assembler.assemble(List.of(source(SOURCE, t0, slot("orders", true, 0)), target(t0, sub("orders", "orders"))), t0, 1);
        Instant t1 = t0.plusSeconds(5);
        Snapshot s = assembler.assemble(List.of(source(SOURCE, t1, slot("orders", true, 5)),
                DatabaseReading.unreachable(TARGET, t1, 2, "Connection refused")), t1, 2);
        DatabaseSnapshot target = s.databases().get(1);
        assertThat(target.reachable()).isFalse();
        assertThat(target.health().status()).isEqualTo(Status.DOWN);
        assertThat(target.lastSuccessAt()).isEqualTo(t0);
        assertThat(target.lastError()).isEqualTo("Connection refused");
        assertThat(s.status()).isEqualTo(Status.CRITICAL);
        assertThat(s.summary().down()).isEqualTo(1);
        assertThat(s.pairs()).singleElement().satisfies(p -> {
            assertThat(p.health().status()).isEqualTo(Status.CRITICAL);
            assertThat(p.health().reasons()).contains("target database dst is unreachable: the subscription cannot be checked");
            assertThat(p.lagBytes()).as("the source still tells the lag").isEqualTo(5);
        });

        Instant t2 = t1.plusSeconds(5);
        DatabaseSnapshot back = assembler.assemble(List.of(source(SOURCE, t2, slot("orders", true, 0)),
                target(t2, sub("orders", "orders"))), t2, 1).databases().get(1);
        assertThat(back.reachable()).isTrue();
        assertThat(back.error()).isNull();
        assertThat(back.lastError()).isEqualTo("Connection refused");
        assertThat(back.lastErrorAt()).isEqualTo(t1);
    }

    @Test
    void slotNameOnTwoSourcesIsAmbiguousAndAMissingSlotIsSaid() {
        Snapshot s = assembler.assemble(List.of(source(SOURCE, t0, slot("orders", true, 0)),
                source(OTHER_SOURCE, t0, slot("orders", true, 0)),
                target(t0, sub("orders", "orders"), sub("billing", "billing"))), t0, 1);
        assertThat(s.pairs()).extracting(PairInfo::name).containsExactly("billing", "orders");
        assertThat(s.pairs().get(0).health().reasons()).containsExactly("no configured source database has a slot named billing");
        assertThat(s.pairs().get(1).sourceDatabase()).isNull();
        assertThat(s.pairs().get(1).health().reasons().get(0)).contains("exists on several sources (src, src2)");
        assertThat(s.status()).isEqualTo(Status.WARNING);
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.PairSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.LagMethod;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionReading;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.Summary;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.probe.DatabaseReading;
import io.pgrepmon.probe.SubscriptionStatsRow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotAssemblerTest {

    static final DatabaseSettings SOURCE = Fixtures.settings("src", Role.SOURCE);
    static final DatabaseSettings TARGET = Fixtures.settings("dst", Role.TARGET);
    static final DatabaseSettings OTHER_SOURCE = Fixtures.settings("src2", Role.SOURCE);

    static DatabaseReading source(DatabaseSettings db, Instant at, SlotReading... slots) {
        return Fixtures.source(db, at, slots);
    }

    static DatabaseReading target(Instant at, SubscriptionReading... subscriptions) {
        return Fixtures.target(TARGET, at, List.of(subscriptions), List.of(), List.of());
    }

    static SlotReading slot(String name, boolean active, long lag) {
        return Fixtures.slot(name, active, lag);
    }

    static SubscriptionReading sub(String name, String slot) {
        return Fixtures.sub(name, slot);
    }

    final Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
    final SnapshotAssembler assembler = new SnapshotAssembler(Thresholds.UNIT, Duration.ofSeconds(5), List.of(), t0.minusSeconds(60));

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
        assertThat(s.summary()).isEqualTo(new Summary(2, 1, 1, 2, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 10L, "orders"));
    }

    @Test
    void inactiveSinceIsRememberedAcrossTicksBeforePostgres17() {
        assembler.assemble(List.of(source(SOURCE, t0, slot("orders", false, 0))), t0, 1);
        Instant later = t0.plusSeconds(61);
        Snapshot s = assembler.assemble(List.of(source(SOURCE, later, slot("orders", false, 0))), later, 1);
        SlotInfo slot = s.databases().get(0).slots().get(0);
        assertThat(slot.inactiveSince()).isEqualTo(t0.plusMillis(Fixtures.POLL_MILLIS));
        assertThat(slot.health().status()).isEqualTo(Status.CRITICAL);
        assertThat(s.databases().get(0).health().reasons()).containsExactly("slot orders is critical");

        // Once active again, a later idle spell counts from its own start.
        assembler.assemble(List.of(source(SOURCE, later, slot("orders", true, 0))), later, 1);
        Instant again = later.plusSeconds(5);
        SlotInfo fresh = assembler.assemble(List.of(source(SOURCE, again, slot("orders", false, 0))), again, 1)
                .databases().get(0).slots().get(0);
        assertThat(fresh.inactiveSince()).isEqualTo(again.plusMillis(Fixtures.POLL_MILLIS));
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

    @Test
    void explicitPairsAndAConfiguredSourceResolveAmbiguousSlotNames() {
        SnapshotAssembler configured = new SnapshotAssembler(Thresholds.UNIT, Duration.ofSeconds(5),
                List.of(new PairSettings("dst", "orders", "src2", null)), t0);
        Snapshot s = configured.assemble(List.of(source(SOURCE, t0, slot("orders", true, 1)),
                source(OTHER_SOURCE, t0, slot("orders", true, 2)), target(t0, sub("orders", "orders"))), t0, 1);
        assertThat(s.pairs()).singleElement().satisfies(p -> {
            assertThat(p.sourceDatabase()).isEqualTo("src2");
            assertThat(p.linkedBy()).isEqualTo("pairs");
            assertThat(p.lagBytes()).isEqualTo(2);
            assertThat(p.health()).isEqualTo(Health.HEALTHY);
        });

        DatabaseSettings pinned = Fixtures.settings("dst", Role.TARGET, "src");
        Snapshot viaSource = assembler.assemble(List.of(source(SOURCE, t0, slot("other", true, 1)),
                source(OTHER_SOURCE, t0, slot("orders", true, 2)),
                Fixtures.target(pinned, t0, List.of(sub("orders", "orders")), List.of(), List.of())), t0, 1);
        assertThat(viaSource.pairs()).singleElement().satisfies(p -> {
            assertThat(p.sourceDatabase()).isEqualTo("src");
            assertThat(p.linkedBy()).isEqualTo("source");
            assertThat(p.health().status()).isEqualTo(Status.CRITICAL);
            assertThat(p.health().reasons().get(0)).contains("source src has no slot named orders");
        });
    }

    @Test
    void tablesCopyProgressAndPublishedTablesTheSubscriptionLacks() {
        List<TableReading> tables = List.of(Fixtures.table("orders", List.of("pub"), true, 1000),
                Fixtures.table("items", List.of("pub"), true, 4000), Fixtures.table("late", List.of("pub"), true, 10),
                Fixtures.table("audit", List.of(), true, 10));
        DatabaseReading src = Fixtures.source(SOURCE, t0, List.of(slot("orders", true, 0)), List.of(),
                List.of(Fixtures.publication("pub", "public.orders", "public.items", "public.late")), tables);
        DatabaseReading dst = Fixtures.target(TARGET, t0, List.of(sub("orders", "orders")),
                List.of(Fixtures.subTable("orders", "orders", "r", null), Fixtures.subTable("orders", "items", "d", 1000L)),
                List.of());
        Snapshot s = assembler.assemble(List.of(src, dst), t0, 1);

        DatabaseSnapshot source = s.databases().get(0);
        assertThat(source.health().reasons()).containsExactly("1 table(s) in no publication, which a migration would miss: public.audit");
        SubscriptionInfo subscription = s.databases().get(1).subscriptions().get(0);
        assertThat(subscription.tableStates()).containsExactly(java.util.Map.entry("d", 1), java.util.Map.entry("r", 1));
        SubscriptionTable items = subscription.tables().stream().filter(t -> t.name().equals("items")).findFirst().orElseThrow();
        assertThat(items.copy().sourceBytes()).isEqualTo(4000);
        assertThat(items.copy().percent()).isEqualTo(25.0);
        assertThat(items.stateSince()).isEqualTo(t0.plusMillis(Fixtures.POLL_MILLIS));
        PairInfo pair = s.pairs().get(0);
        assertThat(pair.missingTables()).containsExactly("public.late");
        assertThat(pair.health().reasons()).contains(
                "1 published table(s) not in the subscription: public.late (ALTER SUBSCRIPTION orders REFRESH PUBLICATION)");
        assertThat(s.summary().subscribedTables()).isEqualTo(2);
        assertThat(s.summary().readyTables()).isEqualTo(1);

        // A later tick keeps the time the table entered its state.
        Instant t1 = t0.plusSeconds(5);
        SubscriptionTable later = assembler.assemble(List.of(src, dst), t1, 1).databases().get(1).subscriptions().get(0)
                .tables().stream().filter(t -> t.name().equals("items")).findFirst().orElseThrow();
        assertThat(later.stateSince()).isEqualTo(t0.plusMillis(Fixtures.POLL_MILLIS));
    }

    /**
     * A database polled late in its tick (behind its previous poll, or waiting its turn to connect) has what it saw
     * stamped when its answer came, not when the tick began: a new error seen then may be seconds younger than the
     * tick, and stamped with the tick's start an error-free window would look that much longer.
     */
    @Test
    void observationsOfALatePollAreStampedWhenItsAnswerCame() {
        Instant reset = t0.minusSeconds(3600);
        assembler.assemble(List.of(source(SOURCE, t0, slot("orders", true, 0)), Fixtures.target(TARGET, t0,
                List.of(sub("orders", "orders")), List.of(), List.of(new SubscriptionStatsRow("orders", 5, 0, null, reset)))), t0, 1);
        Instant tick = t0.plusSeconds(5);
        Instant polledLate = tick.plusSeconds(3);
        Snapshot s = assembler.assemble(List.of(source(SOURCE, tick, slot("orders", true, 0)), Fixtures.target(TARGET, polledLate,
                List.of(sub("orders", "orders")), List.of(), List.of(new SubscriptionStatsRow("orders", 6, 0, null, reset)))), tick, 1);
        SubscriptionStats stats = s.databases().get(1).subscriptions().get(0).stats();
        assertThat(stats.newApplyErrors()).isEqualTo(1);
        assertThat(stats.lastIncreaseAt()).isEqualTo(polledLate.plusMillis(Fixtures.POLL_MILLIS)).isAfter(tick);
    }

    @Test
    void errorCountersCountOnlyWhatHappensAfterTheMonitorStarted() {
        Instant reset = t0.minusSeconds(3600);
        SubscriptionStatsRow old = new SubscriptionStatsRow("orders", 5, 0, null, reset);
        SubscriptionStatsRow newer = new SubscriptionStatsRow("orders", 7, 0, null, reset);
        List<DatabaseReading> first = List.of(source(SOURCE, t0, slot("orders", true, 0)),
                Fixtures.target(TARGET, t0, List.of(sub("orders", "orders")), List.of(), List.of(old)));
        Snapshot s0 = assembler.assemble(first, t0, 1);
        SubscriptionStats before = s0.databases().get(1).subscriptions().get(0).stats();
        assertThat(before.applyErrors()).isEqualTo(5);
        assertThat(before.newApplyErrors()).as("errors from before the monitor started are not new").isZero();
        assertThat(s0.status()).isEqualTo(Status.HEALTHY);

        Instant t1 = t0.plusSeconds(5);
        Snapshot s1 = assembler.assemble(List.of(source(SOURCE, t1, slot("orders", true, 0)),
                Fixtures.target(TARGET, t1, List.of(sub("orders", "orders")), List.of(), List.of(newer))), t1, 1);
        SubscriptionStats after = s1.databases().get(1).subscriptions().get(0).stats();
        assertThat(after.newApplyErrors()).isEqualTo(2);
        assertThat(after.lastIncreaseAt()).isEqualTo(t1.plusMillis(Fixtures.POLL_MILLIS));
        assertThat(s1.pairs().get(0).health().status()).isEqualTo(Status.CRITICAL);

        // The counters are reset on the server: the baseline starts again from zero.
        Instant t2 = t1.plusSeconds(5);
        SubscriptionStatsRow afterReset = new SubscriptionStatsRow("orders", 1, 0, null, t2.minusSeconds(1));
        SubscriptionStats reset2 = assembler.assemble(List.of(source(SOURCE, t2, slot("orders", true, 0)),
                        Fixtures.target(TARGET, t2, List.of(sub("orders", "orders")), List.of(), List.of(afterReset))), t2, 1)
                .databases().get(1).subscriptions().get(0).stats();
        assertThat(reset2.newApplyErrors()).isEqualTo(1);
    }

    @Test
    void lagSecondsSayHowTheyWereObtained() {
        Instant t1 = t0.plusSeconds(10);
        Snapshot caughtUp = assembler.assemble(List.of(source(SOURCE, t0, Fixtures.slotAt("orders", 0, 1000)),
                target(t0, sub("orders", "orders"))), t0, 1);
        assertThat(caughtUp.pairs().get(0).lagSeconds()).isZero();
        assertThat(caughtUp.pairs().get(0).lagMethod()).isEqualTo(LagMethod.CAUGHT_UP);
        assertThat(caughtUp.pairs().get(0).lagMethodText()).startsWith("caught up");

        // Confirmed advanced 10 000 bytes in 10 s; 5 000 bytes behind: 0.5 s at that rate.
        Snapshot rate = assembler.assemble(List.of(source(SOURCE, t1, Fixtures.slotAt("orders", 5000, 11_000)),
                target(t1, sub("orders", "orders"))), t1, 1);
        assertThat(rate.pairs().get(0).applyRateBytesPerSecond()).isEqualTo(1000.0);
        assertThat(rate.pairs().get(0).lagSeconds()).isEqualTo(5.0);
        assertThat(rate.pairs().get(0).lagMethod()).isEqualTo(LagMethod.APPLY_RATE);
        assertThat(rate.pairs().get(0).lagMethodText()).startsWith("bytes behind / apply rate (1000 B/s");

        // Nothing confirmed for a minute and more: the rate over the window is 0, the figure is a lower bound.
        Instant t2 = t1.plusSeconds(70);
        Snapshot still = assembler.assemble(List.of(source(SOURCE, t2, Fixtures.slotAt("orders", 9000, 11_000)),
                target(t2, sub("orders", "orders"))), t2, 1);
        assertThat(still.pairs().get(0).lagSeconds()).isEqualTo(70.0);
        assertThat(still.pairs().get(0).lagMethod()).isEqualTo(LagMethod.LOWER_BOUND);
        assertThat(still.pairs().get(0).lagMethodText()).startsWith("at least");
    }
}

package io.pgrepmon.assemble;

import io.pgrepmon.config.PairSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.Health;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.Status;
import io.pgrepmon.model.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pgrepmon.assemble.Fixtures.database;
import static io.pgrepmon.assemble.Fixtures.publication;
import static io.pgrepmon.assemble.Fixtures.slot;
import static io.pgrepmon.assemble.Fixtures.sub;
import static io.pgrepmon.assemble.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

/** How a subscription finds its slot, and the pairs built from the links. */
class PairingTest {

    final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    static Map<String, DatabaseSnapshot> sources(DatabaseSnapshot... dbs) {
        Map<String, DatabaseSnapshot> map = new LinkedHashMap<>();
        for (DatabaseSnapshot db : dbs) {
            map.put(db.name(), db);
        }
        return map;
    }

    static DatabaseSnapshot source(String name, boolean reachable, String... slots) {
        return database(name, Role.SOURCE, reachable, java.util.Arrays.stream(slots).map(s -> slot(s, true, 0)).toList(),
                List.of(publication("pub", "public.a", "public.b")), List.of());
    }

    @Test
    void anExplicitPairWinsThenTheTargetsSourceThenTheOnlySourceHoldingTheSlot() {
        Pairing pairing = new Pairing(List.of(new PairSettings("dst", "sub", "east", "other_slot")), List.of());
        Map<String, DatabaseSnapshot> sources = sources(source("east", true, "other_slot"), source("west", true, "sub"));
        Health.Builder health = new Health.Builder();

        assertThat(pairing.link("dst", "west", sub("sub", "sub"), sources, health))
                .isEqualTo(new Pairing.Link("east", "other_slot", "pairs"));
        assertThat(pairing.link("dst2", "east", sub("sub", "sub"), sources, new Health.Builder()))
                .as("the target's configured source, even without the slot").extracting(Pairing.Link::linkedBy)
                .isEqualTo("source");
        assertThat(pairing.link("dst3", null, sub("sub", "sub"), sources, new Health.Builder()))
                .isEqualTo(new Pairing.Link("west", "sub", "slot name"));
        assertThat(health.build().status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void aConfiguredLinkToAMissingSlotIsCriticalAndAnAmbiguousOneIsNotGuessed() {
        Pairing pairing = new Pairing(List.of(), List.of());
        Health.Builder missing = new Health.Builder();
        pairing.link("dst", "east", sub("sub", "gone"), sources(source("east", true, "sub")), missing);
        assertThat(missing.build().status()).isEqualTo(Status.CRITICAL);
        assertThat(missing.build().reasons()).singleElement().asString().contains("has no slot named gone");

        Health.Builder ambiguous = new Health.Builder();
        assertThat(pairing.link("dst", null, sub("sub", "sub"), sources(source("east", true, "sub"),
                source("west", true, "sub")), ambiguous)).isNull();
        assertThat(ambiguous.build().reasons()).singleElement().asString().contains("several sources (east, west)");
    }

    @Test
    void aLinkFoundBySlotNameSurvivesItsSourceBeingDownForATick() {
        Pairing pairing = new Pairing(List.of(), List.of());
        Pairing.Link up = pairing.link("dst", null, sub("sub", "sub"), sources(source("east", true, "sub")),
                new Health.Builder());
        Health.Builder health = new Health.Builder();
        assertThat(pairing.link("dst", null, sub("sub", "sub"), sources(source("east", false)), health)).isEqualTo(up);
        assertThat(health.build().status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void aTargetThatIsDownKeepsItsPairsListedAsCritical() {
        Pairing pairing = new Pairing(List.of(), List.of());
        DatabaseSnapshot east = source("east", true, "sub");
        SubscriptionInfo sub = view(sub("sub", "sub"));
        Pairing.Link link = pairing.link("dst", null, sub.reading(), sources(east), new Health.Builder());
        DatabaseSnapshot dst = database("dst", Role.TARGET, true, List.of(), List.of(), List.of(sub));
        List<PairInfo> live = pairing.pairs(List.of(new Pairing.Draft("dst", "sub", sub, link, new Health.Builder())),
                Map.of("east", east, "dst", dst), now);
        assertThat(live).singleElement().satisfies(p -> {
            assertThat(p.sourceDatabase()).isEqualTo("east");
            assertThat(p.missingTables()).as("published on the source, unknown to the subscription")
                    .containsExactly("public.a", "public.b");
            assertThat(p.health().status()).isEqualTo(Status.WARNING);
        });

        DatabaseSnapshot down = database("dst", Role.TARGET, false, List.of(), List.of(), List.of());
        List<PairInfo> kept = pairing.pairs(List.of(), Map.of("east", east, "dst", down), now.plusSeconds(5));
        assertThat(kept).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("sub");
            assertThat(p.slotName()).isEqualTo("sub");
            assertThat(p.health().status()).isEqualTo(Status.CRITICAL);
            assertThat(p.health().reasons()).anySatisfy(r -> assertThat(r).contains("target database dst is unreachable"));
        });
    }

    @Test
    void twoTargetsWithTheSameSubscriptionNameArePrefixedByTheirDatabase() {
        Pairing pairing = new Pairing(List.of(), List.of());
        DatabaseSnapshot east = source("east", true, "s1", "s2");
        SubscriptionInfo one = view(sub("orders", "s1"));
        SubscriptionInfo two = view(sub("orders", "s2"));
        Map<String, DatabaseSnapshot> all = Map.of("east", east,
                "a", database("a", Role.TARGET, true, List.of(), List.of(), List.of(one)),
                "b", database("b", Role.TARGET, true, List.of(), List.of(), List.of(two)));
        List<PairInfo> pairs = pairing.pairs(List.of(
                new Pairing.Draft("a", "orders", one, pairing.link("a", "east", one.reading(), sources(east), new Health.Builder()), new Health.Builder()),
                new Pairing.Draft("b", "orders", two, pairing.link("b", "east", two.reading(), sources(east), new Health.Builder()), new Health.Builder())),
                all, now);
        assertThat(pairs).extracting(PairInfo::name).containsExactly("a.orders", "b.orders");
    }
}

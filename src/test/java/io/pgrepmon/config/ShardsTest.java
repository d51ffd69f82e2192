package io.pgrepmon.config;

import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** N instances sharing one configuration watch every database exactly once, each replication whole on one of them. */
class ShardsTest {

    /**
     * A fleet as migrations make it: 40 one-to-one pairs, a source with three targets, a target with two sources
     * (explicit pairs), a heartbeat, and a lone source nothing subscribes to yet.
     */
    static Map<String, String> fleet() {
        Map<String, String> p = new HashMap<>();
        List<String[]> dbs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            dbs.add(new String[] {"src" + i, "source", null});
            dbs.add(new String[] {"dst" + i, "target", "src" + i});
        }
        dbs.add(new String[] {"hub", "source", null});
        for (int i = 0; i < 3; i++) {
            dbs.add(new String[] {"spoke" + i, "target", "hub"});
        }
        dbs.add(new String[] {"left", "source", null});
        dbs.add(new String[] {"right", "source", null});
        dbs.add(new String[] {"merged", "target", "left"});
        dbs.add(new String[] {"alone", "source", null});
        for (int i = 0; i < dbs.size(); i++) {
            String k = "monitor.databases[" + i + "].";
            p.put(k + "name", dbs.get(i)[0]);
            p.put(k + "host", "db.internal");
            p.put(k + "user", "monitor");
            p.put(k + "password", "pw");
            p.put(k + "dbname", "app");
            p.put(k + "role", dbs.get(i)[1]);
            if (dbs.get(i)[2] != null) {
                p.put(k + "source", dbs.get(i)[2]);
            }
        }
        p.put("monitor.pairs[0].target", "merged");
        p.put("monitor.pairs[0].subscription", "from_left");
        p.put("monitor.pairs[0].source", "left");
        p.put("monitor.pairs[1].target", "merged");
        p.put("monitor.pairs[1].subscription", "from_right");
        p.put("monitor.pairs[1].source", "right");
        p.put("monitor.heartbeats[0].source", "src7");
        p.put("monitor.heartbeats[0].target", "dst7");
        return p;
    }

    static MonitorSettings validate(Map<String, String> properties) {
        return ConfigValidator.validate(TestConfigs.builder().withSources(new PropertiesConfigSource(properties, "test", 100))
                .build().getConfigMapping(MonitorConfig.class));
    }

    @Test
    void everyDatabaseOnceAndEachReplicationWhole() {
        Set<String> all = new HashSet<>();
        validate(fleet()).databases().forEach(db -> all.add(db.name()));
        assertThat(all).hasSize(88);
        for (int count : new int[] {1, 2, 3, 7}) {
            Map<String, String> seenBy = new HashMap<>();
            int pairs = 0;
            int heartbeats = 0;
            for (int index = 0; index < count; index++) {
                Map<String, String> p = fleet();
                p.put("monitor.shard.count", Integer.toString(count));
                p.put("monitor.shard.index", Integer.toString(index));
                MonitorSettings shard = validate(p);
                assertThat(shard.shard()).isEqualTo(new MonitorSettings.Shard(index, count, 88));
                Set<String> mine = new HashSet<>();
                for (DatabaseSettings db : shard.databases()) {
                    assertThat(seenBy.put(db.name(), "shard " + index)).as("%s watched twice (count %d)", db.name(), count).isNull();
                    mine.add(db.name());
                }
                // A target is with the source it names, explicit pairs and heartbeats with both their ends.
                shard.databases().stream().filter(db -> db.source() != null).forEach(db -> assertThat(mine).contains(db.source()));
                shard.pairs().forEach(x -> assertThat(mine).contains(x.target(), x.source()));
                shard.heartbeats().forEach(h -> assertThat(mine).contains(h.target(), h.source()));
                pairs += shard.pairs().size();
                heartbeats += shard.heartbeats().size();
            }
            assertThat(seenBy.keySet()).as("every database watched (count %d)", count).isEqualTo(all);
            assertThat(pairs).isEqualTo(2);
            assertThat(heartbeats).isEqualTo(1);
        }
    }

    @Test
    void aShardsShareDoesNotMoveWhenAnotherReplicationIsAdded() {
        Map<String, String> before = fleet();
        before.put("monitor.shard.count", "3");
        before.put("monitor.shard.index", "1");
        Set<String> mine = new HashSet<>();
        validate(before).databases().forEach(db -> mine.add(db.name()));
        Map<String, String> after = new HashMap<>(before);
        String k = "monitor.databases[88].";
        after.putAll(Map.of(k + "name", "zzz_new", k + "host", "db.internal", k + "user", "monitor", k + "password", "pw",
                k + "dbname", "app", k + "role", "source"));
        Set<String> mineAfter = new HashSet<>();
        validate(after).databases().forEach(db -> mineAfter.add(db.name()));
        mineAfter.remove("zzz_new");
        assertThat(mineAfter).isEqualTo(mine);
    }

    @Test
    void theIndexComesFromTheStatefulSetOrdinalOrANamedProblem() {
        MonitorConfig.ShardConfig three = new MonitorConfig.ShardConfig() {
            public int count() {
                return 3;
            }

            public Optional<Integer> index() {
                return Optional.empty();
            }
        };
        List<String> problems = new ArrayList<>();
        assertThat(ConfigValidator.checkShard(three, List.of(), List.of(), List.of(), "pg-replication-monitor-2", problems).index())
                .isEqualTo(2);
        assertThat(problems).isEmpty();
        ConfigValidator.checkShard(three, List.of(), List.of(), List.of(), "monitor-7f9c", problems);
        assertThat(problems).singleElement().asString().contains("monitor.shard.index is not set").contains("monitor-7f9c");
        problems.clear();
        ConfigValidator.checkShard(three, List.of(), List.of(), List.of(), "monitor-3", problems);
        assertThat(problems).singleElement().asString().contains("monitor.shard.index is 3 (from the host name 'monitor-3'): give 0 to 2");
    }

    @Test
    void withShardsATargetInPairsMustNameItsSourceToo() {
        // Its subscriptions not in pairs would be linked by slot name, perhaps to a source another instance watches.
        Map<String, String> p = fleet();
        p.remove("monitor.databases[86].source");
        assertThat(p.get("monitor.databases[86].name")).isEqualTo("merged");
        p.put("monitor.shard.count", "2");
        p.put("monitor.shard.index", "1");
        assertThatThrownBy(() -> validate(p)).hasMessageContaining("monitor.databases[86].source: with monitor.shard.count 2");
        assertThat(Shards.ordinal("monitor-99999999999")).as("not an ordinal a StatefulSet gives").isEmpty();
    }

    @Test
    void withShardsATargetMustNameItsSource() {
        Map<String, String> p = fleet();
        p.remove("monitor.databases[1].source");
        p.put("monitor.shard.count", "2");
        p.put("monitor.shard.index", "0");
        assertThatThrownBy(() -> validate(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("monitor.databases[1].source: with monitor.shard.count 2 every target names the source");
        p.put("monitor.shard.count", "0");
        assertThatThrownBy(() -> validate(p)).hasMessageContaining("monitor.shard.count is 0");
    }
}

package io.pgrepmon.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the configured databases over {@code count} instances: the databases a replication links (a target and the
 * source it names, the two ends of an explicit pair or heartbeat) are one group, and each group goes whole to one
 * shard, chosen from its first name, so that adding a group never moves another.
 */
public final class Shards {

    /** A StatefulSet pod's host name ends in its ordinal: monitor-0, monitor-1, ... */
    private static final Pattern ORDINAL = Pattern.compile("-(\\d{1,6})$");

    private Shards() {
    }

    /** The groups of database names that must be watched by the same instance, each sorted, in order of first name. */
    public static List<TreeSet<String>> groups(List<DatabaseSettings> databases, List<PairSettings> pairs,
                                               List<HeartbeatSettings> heartbeats) {
        Map<String, String> parent = new HashMap<>();
        databases.forEach(db -> parent.put(db.name(), db.name()));
        databases.stream().filter(db -> db.source() != null).forEach(db -> union(parent, db.name(), db.source()));
        pairs.forEach(p -> union(parent, p.target(), p.source()));
        heartbeats.forEach(h -> union(parent, h.target(), h.source()));
        Map<String, TreeSet<String>> byRoot = new HashMap<>();
        databases.forEach(db -> byRoot.computeIfAbsent(find(parent, db.name()), k -> new TreeSet<>()).add(db.name()));
        List<TreeSet<String>> groups = new ArrayList<>(byRoot.values());
        groups.sort((a, b) -> a.first().compareTo(b.first()));
        return groups;
    }

    /** The shard a group belongs to: a function of its first name only (String.hashCode is the same on every JVM). */
    public static int shardOf(TreeSet<String> group, int count) {
        return Math.floorMod(group.first().hashCode(), count);
    }

    /** The StatefulSet ordinal at the end of a host name, if there is one. */
    public static Optional<Integer> ordinal(String hostname) {
        if (hostname == null) {
            return Optional.empty();
        }
        Matcher m = ORDINAL.matcher(hostname);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static String find(Map<String, String> parent, String name) {
        String root = name;
        while (!parent.getOrDefault(root, root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        if (!parent.containsKey(a) || !parent.containsKey(b)) {
            return; // a reference to an unknown database is reported by its own check
        }
        parent.put(find(parent, a), find(parent, b));
    }
}

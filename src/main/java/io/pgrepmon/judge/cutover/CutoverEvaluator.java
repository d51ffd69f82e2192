package io.pgrepmon.judge.cutover;

import io.pgrepmon.config.MonitorSettings;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DatabaseSnapshot;
import io.pgrepmon.model.DeepCheck;
import io.pgrepmon.model.Fingerprint;
import io.pgrepmon.model.MigrationCutover;
import io.pgrepmon.model.PairCutover;
import io.pgrepmon.model.PairCutover.Verdict;
import io.pgrepmon.model.PairInfo;
import io.pgrepmon.model.PublicationFilter;
import io.pgrepmon.model.PublicationInfo;
import io.pgrepmon.model.SequenceReport;
import io.pgrepmon.model.SequenceStatus;
import io.pgrepmon.model.SlotInfo;
import io.pgrepmon.model.SlotReading;
import io.pgrepmon.model.Snapshot;
import io.pgrepmon.model.SourceActivity;
import io.pgrepmon.model.SubscriptionInfo;
import io.pgrepmon.model.SubscriptionStats;
import io.pgrepmon.model.SubscriptionTable;
import io.pgrepmon.model.TableContent;
import io.pgrepmon.model.TableInfo;
import io.pgrepmon.model.TableReading;
import io.pgrepmon.model.Units;
import io.pgrepmon.probe.PublicationFiltersProbe;
import io.pgrepmon.probe.PublicationsProbe;
import io.pgrepmon.probe.TablesProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.pgrepmon.model.CutoverCheck.fail;
import static io.pgrepmon.model.CutoverCheck.pass;
import static io.pgrepmon.model.CutoverCheck.unknown;

/**
 * The cutover checklist of each pair, as a pure function of a snapshot, the latest deep checks and the time.
 * The checks are those of a logical-replication migration (see the README): coverage, subscription running,
 * no new errors, tables ready, slot healthy, caught up, source quiet, target quiet, sequences, row counts, schema,
 * content, large objects.
 * The verdict is Ready only when every check passes.
 */
public final class CutoverEvaluator {

    private CutoverEvaluator() {
    }

    public static List<PairCutover> evaluate(Snapshot snapshot, Map<String, DeepCheck> deep, MonitorSettings.Cutover config,
                                             Instant monitorStart, Instant now) {
        return evaluate(snapshot, deep, config, monitorStart, Map.of(), now);
    }

    /** @param acknowledgedSkipped per pair, the skipped changes (18+ conflicts) the operator has acknowledged */
    public static List<PairCutover> evaluate(Snapshot snapshot, Map<String, DeepCheck> deep, MonitorSettings.Cutover config,
                                             Instant monitorStart, Map<String, Long> acknowledgedSkipped, Instant now) {
        List<PairCutover> verdicts = new ArrayList<>();
        Map<String, Set<String>> carriers = new LinkedHashMap<>();
        Map<String, DeepCheck> deepOf = new LinkedHashMap<>();
        for (PairInfo pair : snapshot.pairs()) {
            DatabaseSnapshot source = snapshot.database(pair.sourceDatabase());
            DatabaseSnapshot target = snapshot.database(pair.targetDatabase());
            SubscriptionInfo sub = target == null ? null : target.subscriptions().stream()
                    .filter(s -> s.name().equals(pair.subscription())).findFirst().orElse(null);
            SlotReading slot = source == null ? null : source.slots().stream().map(SlotInfo::reading)
                    .filter(s -> s.name().equals(pair.slotName())).findFirst().orElse(null);
            DeepCheck deepCheck = deep.get(pair.name());
            List<CutoverCheck> checks = new ArrayList<>();
            checks.add(coverage(pair, sub, snapshot, config::declaredPartial));
            checks.add(subscriptionRunning(sub));
            boolean countersExpected = target != null && target.server() != null && target.server().versionNum() >= 150000;
            checks.add(sub != null && sub.stats() == null && countersExpected
                    ? unknown("no-new-errors", "no new apply or sync error, nor conflict, in the observation window",
                    "the subscription's error counters (pg_stat_subscription_stats) could not be read this tick")
                    : noNewErrors(pair.name(), sub, config.observationWindow(), monitorStart,
                    acknowledgedSkipped.getOrDefault(pair.name(), 0L), now));
            checks.add(tablesReady(sub, source));
            checks.add(slotHealthy(slot, source));
            checks.add(caughtUp(pair, sub));
            checks.add(sourceQuiet(source, config.quietPeriod(), now));
            checks.add(targetQuiet(target));
            String stale = uncovered(deepCheck, sub);
            if (stale == null) {
                stale = staleness(deepCheck, source, target);
            }
            checks.add(sequences(deepCheck, stale));
            checks.add(rowCounts(deepCheck, stale, declaredRowFiltered(pair, sub, snapshot, config)));
            checks.add(schema(deepCheck, stale));
            checks.add(content(deepCheck, stale, declaredPartial(pair, sub, snapshot, config, false),
                    config::declaredCountsSuffice));
            checks.add(largeObjects(source));
            verdicts.add(verdict(pair.name(), checks, deepCheck));
            carriers.put(pair.name(), carriers(pair, sub, snapshot));
            deepOf.put(pair.name(), deepCheck);
        }
        return carriedByReadyPairs(verdicts, carriers, deepOf);
    }

    /**
     * A pair whose coverage counts tables that other pairs carry is whole only while those are Ready: otherwise
     * its coverage is unknown. Repeated until nothing changes, since a pair made unknown may carry for another.
     */
    static List<PairCutover> carriedByReadyPairs(List<PairCutover> verdicts, Map<String, Set<String>> carriers,
                                                 Map<String, DeepCheck> deep) {
        List<PairCutover> result = new ArrayList<>(verdicts);
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Verdict> now = new LinkedHashMap<>();
            result.forEach(v -> now.put(v.pair(), v.verdict()));
            for (int i = 0; i < result.size(); i++) {
                PairCutover v = result.get(i);
                List<String> notReady = carriers.getOrDefault(v.pair(), Set.of()).stream()
                        .filter(other -> now.get(other) != Verdict.READY).sorted().toList();
                List<CutoverCheck> checks = new ArrayList<>(v.checks());
                int at = -1;
                for (int c = 0; c < checks.size(); c++) {
                    if (checks.get(c).id().equals("publication-coverage") && checks.get(c).result() == CutoverCheck.Result.PASS) {
                        at = c;
                    }
                }
                if (notReady.isEmpty() || at < 0) {
                    continue;
                }
                CutoverCheck coverage = checks.get(at);
                checks.set(at, unknown(coverage.id(), coverage.title(), "some of the source's tables reach the target"
                        + " only through " + String.join(", ", notReady) + ", not ready or unknown itself, so this"
                        + " pair's share of the migration is not whole (" + coverage.evidence() + ")"));
                result.set(i, verdict(v.pair(), checks, deep.get(v.pair())));
                changed = true;
            }
        }
        return result;
    }

    /** The other pairs between the same two databases that carry a source table this pair's publications do not. */
    static Set<String> carriers(PairInfo pair, SubscriptionInfo sub, Snapshot snapshot) {
        DatabaseSnapshot source = snapshot.database(pair.sourceDatabase());
        if (source == null || sub == null || pair.sourceDatabase() == null) {
            return Set.of();
        }
        Set<String> own = Set.copyOf(sub.reading().publications());
        Map<String, String> otherPairs = otherPairsPublications(pair, snapshot);
        Set<String> carriers = new java.util.TreeSet<>();
        for (TableInfo t : source.tables()) {
            if (t.reading().publications().stream().noneMatch(own::contains)) {
                t.reading().publications().stream().filter(otherPairs::containsKey).map(otherPairs::get).findFirst()
                        .ifPresent(carriers::add);
            }
        }
        return carriers;
    }

    /**
     * The migration from one database to another: every pair between them, Ready only when each is.
     *
     * @return null when no pair links the two databases
     */
    public static MigrationCutover migration(Snapshot snapshot, String sourceDatabase, String targetDatabase) {
        List<String> names = snapshot.pairs().stream().filter(p -> sourceDatabase.equals(p.sourceDatabase())
                && targetDatabase.equals(p.targetDatabase())).map(PairInfo::name).toList();
        if (names.isEmpty()) {
            return null;
        }
        List<PairCutover> pairs = snapshot.cutover().stream().filter(v -> names.contains(v.pair())).toList();
        List<String> notReady = pairs.stream().filter(v -> v.verdict() == Verdict.NOT_READY).map(PairCutover::pair).toList();
        List<String> unknown = pairs.stream().filter(v -> v.verdict() == Verdict.UNKNOWN).map(PairCutover::pair).toList();
        Verdict verdict = pairs.size() < names.size() ? Verdict.UNKNOWN
                : !notReady.isEmpty() ? Verdict.NOT_READY : !unknown.isEmpty() ? Verdict.UNKNOWN : Verdict.READY;
        String summary = switch (verdict) {
            case READY -> "ready: all " + pairs.size() + " pair(s) between " + sourceDatabase + " and " + targetDatabase + " are ready";
            case NOT_READY -> "not ready: " + String.join(", ", notReady)
                    + (unknown.isEmpty() ? "" : "; unknown: " + String.join(", ", unknown));
            case UNKNOWN -> "unknown: " + (unknown.isEmpty() ? "a pair has no verdict yet" : String.join(", ", unknown));
        };
        return new MigrationCutover(sourceDatabase, targetDatabase, verdict, summary, pairs);
    }

    static PairCutover verdict(String pair, List<CutoverCheck> checks, DeepCheck deep) {
        List<String> failed = checks.stream().filter(c -> c.result() == CutoverCheck.Result.FAIL).map(CutoverCheck::id).toList();
        List<String> unknown = checks.stream().filter(c -> c.result() == CutoverCheck.Result.UNKNOWN).map(CutoverCheck::id).toList();
        Verdict verdict = !failed.isEmpty() ? Verdict.NOT_READY : !unknown.isEmpty() ? Verdict.UNKNOWN : Verdict.READY;
        String summary = switch (verdict) {
            case READY -> "ready: every check passes";
            case NOT_READY -> "not ready: " + String.join(", ", failed) + " failed"
                    + (unknown.isEmpty() ? "" : "; unknown: " + String.join(", ", unknown));
            case UNKNOWN -> "unknown: " + String.join(", ", unknown) + " cannot be decided yet";
        };
        return new PairCutover(pair, verdict, summary, checks, deep == null ? null : deep.at(),
                deep == null ? List.of() : deep.sequences());
    }

    private static boolean readable(DatabaseSnapshot db) {
        return db != null && db.reachable();
    }

    /**
     * Every source table reaches the target through a subscription between these two databases: this pair's own
     * publications, or another pair's between the same databases (a migration split over several subscriptions).
     * A table covered only by a publication nobody here receives is missed; a subscribed table no longer published
     * to this subscription receives nothing more.
     */
    static CutoverCheck coverage(PairInfo pair, SubscriptionInfo sub, Snapshot snapshot) {
        return coverage(pair, sub, snapshot, table -> null);
    }

    /**
     * @param declaredPartial the operator's declaration that lets a table be sent in part, or null for none
     */
    static CutoverCheck coverage(PairInfo pair, SubscriptionInfo sub, Snapshot snapshot,
                                 Function<String, String> declaredPartial) {
        String id = "publication-coverage", title = "every source table reaches the target, with a key or replica identity";
        DatabaseSnapshot source = snapshot.database(pair.sourceDatabase());
        if (source == null || !source.answered(TablesProbe.NAME) || !source.answered(PublicationsProbe.NAME)) {
            return unknown(id, title, "the source's tables or publications could not be read this tick");
        }
        if (source.server() != null && source.server().versionNum() >= 150000 && !source.answered(PublicationFiltersProbe.NAME)) {
            return unknown(id, title, "the publications' row filters and column lists could not be read this tick");
        }
        if (sub == null) {
            return unknown(id, title, "the subscription could not be read this tick: what it receives is not known");
        }
        Set<String> own = Set.copyOf(sub.reading().publications());
        Map<String, String> otherPairs = otherPairsPublications(pair, snapshot);
        List<String> problems = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        List<String> declared = new ArrayList<>();
        Map<String, TableReading> byName = new LinkedHashMap<>();
        Set<String> receiving = new HashSet<>(own);
        receiving.addAll(otherPairs.keySet());
        for (TableReading t : source.tables().stream().map(TableInfo::reading).toList()) {
            byName.put(t.qualifiedName(), t);
            Partial partial = partialSend(t, receiving, source.publicationFilters(), source.publications());
            if (partial != null) {
                String declaration = declaration(t, declaredPartial);
                if (declaration == null) {
                    problems.add(t.qualifiedName() + ": " + partial.description() + ", so the target would not hold what the source"
                            + " holds (publish it whole, or declare it in monitor.cutover.partial-tables)");
                } else {
                    declared.add(t.qualifiedName() + " (" + partial.description() + "; declared by " + declaration + ")");
                }
            }
            if (t.publications().isEmpty()) {
                problems.add(t.qualifiedName() + ": in no publication");
            } else if (t.publications().stream().noneMatch(own::contains)) {
                String carrier = t.publications().stream().filter(otherPairs::containsKey).map(otherPairs::get).findFirst().orElse(null);
                if (carrier == null) {
                    problems.add(t.qualifiedName() + ": published only by " + String.join(", ", t.publications())
                            + ", which no subscription from " + pair.sourceDatabase() + " to " + pair.targetDatabase()
                            + " receives (this one receives " + String.join(", ", own) + ")");
                } else {
                    elsewhere.add(t.qualifiedName() + " (" + carrier + ")");
                }
            } else if (!t.identityUsable()) {
                problems.add(t.qualifiedName() + ": no primary key or usable replica identity");
            }
        }
        for (SubscriptionTable t : sub.tables()) {
            TableReading onSource = byName.get(t.qualifiedName());
            // Through publish_via_partition_root the subscription lists a partitioned table: its partitions hold its
            // rows on the source, and it is published to this subscription when they are through it.
            List<TableReading> partitions = onSource != null ? List.of() : byName.values().stream()
                    .filter(p -> p.partitionOf().contains(t.qualifiedName())).toList();
            if (onSource == null && partitions.isEmpty()) {
                problems.add(t.qualifiedName() + ": subscribed, but not on the source");
            } else if (onSource == null) {
                if (partitions.stream().noneMatch(p -> p.publications().stream().anyMatch(own::contains))) {
                    problems.add(t.qualifiedName() + ": subscribed, but its partitions are no longer published to it"
                            + " (their changes are not replicated; ALTER PUBLICATION ... ADD TABLE " + t.qualifiedName() + ")");
                }
            } else if (onSource.publications().stream().noneMatch(own::contains)) {
                problems.add(t.qualifiedName() + ": subscribed, but no longer published to it (its changes are not"
                        + " replicated; ALTER PUBLICATION ... ADD TABLE " + t.qualifiedName() + ")");
            }
        }
        pair.missingTables().forEach(t -> problems.add(t + ": published but not in the subscription (REFRESH PUBLICATION)"));
        if ("none".equals(sub.reading().origin())) {
            if (source.activity() == null) {
                return unknown(id, title, "the subscription has origin = none, and whether the source is itself a"
                        + " subscriber could not be read this tick");
            }
            if (source.activity().ownSubscriptions() > 0) {
                problems.add(sub.name() + ": origin = none, and the source is itself a subscriber ("
                        + source.activity().ownSubscriptions() + " subscription(s)): the changes it receives through them"
                        + " are never sent to the target (ALTER SUBSCRIPTION " + sub.name() + " SET (origin = any))");
            }
        }
        if (!problems.isEmpty()) {
            return fail(id, title, problems.size() + " table(s) would be missed or break", problems);
        }
        if ("none".equals(sub.reading().origin()) && source.activity().foreignOrigins() > 0) {
            return unknown(id, title, "the subscription has origin = none, and the source's server has "
                    + source.activity().foreignOrigins() + " replication origin(s) of no subscription (pglogical or"
                    + " another tool applying changes under an origin): what they write is never sent to the target,"
                    + " and the monitor cannot tell which tables they write (drop them with pg_replication_origin_drop"
                    + " once unused, or ALTER SUBSCRIPTION " + sub.name() + " SET (origin = any))");
        }
        return pass(id, title, source.tables().size() + " table(s), all received with a key or replica identity"
                + (elsewhere.isEmpty() ? "" : "; " + elsewhere.size() + " of them by another subscription between the"
                + " same databases: " + Units.sample(elsewhere))
                + (declared.isEmpty() ? "" : "; sent in part as declared: " + String.join("; ", declared)), declared);
    }

    /** The publications other pairs between the same two databases receive, each with the first such pair. */
    static Map<String, String> otherPairsPublications(PairInfo pair, Snapshot snapshot) {
        Map<String, String> publications = new LinkedHashMap<>();
        for (PairInfo other : snapshot.pairs()) {
            if (other != pair && pair.sourceDatabase().equals(other.sourceDatabase())
                    && pair.targetDatabase().equals(other.targetDatabase())) {
                DatabaseSnapshot target = snapshot.database(other.targetDatabase());
                target.subscriptions().stream().filter(s -> s.name().equals(other.subscription()))
                        .forEach(s -> s.reading().publications().forEach(pub -> publications.putIfAbsent(pub, other.name())));
            }
        }
        return publications;
    }

    /**
     * The tables whose rows reach the target only through row filters, as the operator declared: their counts
     * differ on purpose, so they are not compared.
     */
    static Set<String> declaredRowFiltered(PairInfo pair, SubscriptionInfo sub, Snapshot snapshot,
                                           MonitorSettings.Cutover config) {
        return declaredPartial(pair, sub, snapshot, config, true);
    }

    /** @param rowsOnly only the tables whose rows are filtered, not those only some of whose columns are sent */
    static Set<String> declaredPartial(PairInfo pair, SubscriptionInfo sub, Snapshot snapshot,
                                       MonitorSettings.Cutover config, boolean rowsOnly) {
        DatabaseSnapshot source = snapshot.database(pair.sourceDatabase());
        if (source == null || sub == null) {
            return Set.of();
        }
        Set<String> receiving = new HashSet<>(sub.reading().publications());
        receiving.addAll(otherPairsPublications(pair, snapshot).keySet());
        Set<String> tables = new HashSet<>();
        for (TableInfo t : source.tables()) {
            Partial partial = partialSend(t.reading(), receiving, source.publicationFilters(), source.publications());
            if (partial != null && (partial.rowsFiltered() || !rowsOnly)
                    && declaration(t.reading(), config::declaredPartial) != null) {
                tables.add(t.reading().qualifiedName());
                // Through the root, the partitioned table is what is counted: left out when it is declared itself
                // (by name or pattern), never because one of its partitions is.
                t.reading().partitionOf().stream().filter(p -> config.declaredPartial(p) != null).forEach(tables::add);
            }
        }
        return tables;
    }

    /** The operator's declaration of a table, by its own name or, for a partition, by one of its partitioned tables'. */
    static String declaration(TableReading table, Function<String, String> declared) {
        String own = declared.apply(table.qualifiedName());
        return own != null ? own : table.partitionOf().stream().map(declared).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * What the receiving publications leave out of a table, in words, and whether its rows may differ because of
     * it (a row filter, or an operation not published); a column list alone leaves the rows' number alike.
     */
    record Partial(boolean rowsFiltered, String description) {
    }

    /**
     * What of the table the receiving publications leave out, or null when they send all of it. Rows: a table is
     * sent whole when one receiving publication has no row filter for it (the filters of several are OR-ed).
     * Columns: a column list that leaves out a column leaves it out for the subscriber.
     */
    static Partial partialSend(TableReading table, Set<String> receiving, List<PublicationFilter> filters) {
        return partialSend(table, receiving, filters, null);
    }

    /**
     * @param publications the source's publications with the operations each publishes (null: all of them); an
     *                     operation no receiving publication of the table publishes never reaches the target, so
     *                     its rows may differ (pgoutput sends a table an operation when any of them publishes it)
     */
    static Partial partialSend(TableReading table, Set<String> receiving, List<PublicationFilter> filters,
                               List<PublicationInfo> publications) {
        List<String> via = table.publications().stream().filter(receiving::contains).toList();
        if (via.isEmpty()) {
            return null;
        }
        List<PublicationInfo> known = publications == null ? List.of()
                : publications.stream().filter(p -> via.contains(p.name())).toList();
        // A publication read by the tables probe but not yet by the publications probe is judged next tick.
        Map<String, java.util.function.Predicate<PublicationInfo>> operations = new LinkedHashMap<>();
        operations.put("insert", PublicationInfo::insert);
        operations.put("update", PublicationInfo::update);
        operations.put("delete", PublicationInfo::delete);
        // A partition is sent by the row filter and column list of the root it is published through
        // (publish_via_partition_root), or by its own: those of its ancestors count as its own, the stricter reading.
        List<PublicationFilter> own = filters.stream()
                .filter(f -> (f.qualifiedName().equals(table.qualifiedName()) || table.partitionOf().contains(f.qualifiedName()))
                        && via.contains(f.publication())).toList();
        // pgoutput sends an operation when a publication that publishes it has the table, and filters its rows only
        // when every such publication has a row filter (then by any of them): judged per operation.
        List<String> unsent = new ArrayList<>();
        Map<String, List<String>> filteredBy = new LinkedHashMap<>();
        operations.forEach((operation, publishes) -> {
            List<String> sending = known.isEmpty() ? via
                    : known.stream().filter(publishes).map(PublicationInfo::name).toList();
            if (sending.isEmpty()) {
                unsent.add(operation);
            } else if (sending.stream().allMatch(pub -> own.stream()
                    .anyMatch(f -> f.publication().equals(pub) && f.rowFilter() != null))) {
                filteredBy.put(operation, own.stream().filter(f -> f.rowFilter() != null && sending.contains(f.publication()))
                        .map(f -> f.publication() + " sends only rows where " + f.rowFilter()).toList());
            }
        });
        if (!known.isEmpty() && known.stream().noneMatch(PublicationInfo::truncate)) {
            unsent.add("truncate");
        }
        List<String> parts = new ArrayList<>();
        boolean sameForAll = filteredBy.size() == operations.size() - unsent.stream().filter(operations::containsKey).count()
                && filteredBy.values().stream().distinct().count() == 1;
        if (sameForAll) {
            parts.add(String.join(" or ", filteredBy.values().iterator().next()));
        } else {
            filteredBy.forEach((operation, by) -> parts.add("for " + operation + ": " + String.join(" or ", by)));
        }
        own.stream().filter(f -> !f.omitted().isEmpty()).forEach(f -> parts.add(f.publication() + " sends only columns "
                + String.join(", ", f.columns()) + " (not " + String.join(", ", f.omitted()) + ")"));
        if (!unsent.isEmpty()) {
            parts.add(String.join(", ", via) + (via.size() == 1 ? " does" : " do") + " not publish "
                    + String.join(", ", unsent) + ", so the target misses those changes (ALTER PUBLICATION ... SET"
                    + " (publish = 'insert, update, delete, truncate'))");
        }
        return parts.isEmpty() ? null : new Partial(!filteredBy.isEmpty() || !unsent.isEmpty(), String.join("; ", parts));
    }

    static CutoverCheck subscriptionRunning(SubscriptionInfo sub) {
        String id = "subscription-running", title = "the subscription is enabled and its apply worker runs";
        if (sub == null) {
            return unknown(id, title, "the subscription could not be read this tick");
        }
        if (!sub.reading().enabled()) {
            return fail(id, title, "the subscription is disabled", List.of(sub.name()));
        }
        return sub.reading().workerPid() == null ? fail(id, title, "enabled, but no apply worker is running", List.of(sub.name()))
                : pass(id, title, "enabled, apply worker pid " + sub.reading().workerPid());
    }

    static CutoverCheck noNewErrors(SubscriptionInfo sub, Duration window, Instant monitorStart, Instant now) {
        return noNewErrors(null, sub, window, monitorStart, 0, now);
    }

    /**
     * @param acknowledgedSkipped skipped changes the operator has acknowledged for this pair (after re-syncing)
     */
    static CutoverCheck noNewErrors(String pair, SubscriptionInfo sub, Duration window, Instant monitorStart,
                                    long acknowledgedSkipped, Instant now) {
        String id = "no-new-errors", title = "no new apply or sync error, nor conflict, in the observation window";
        if (sub == null) {
            return unknown(id, title, "the subscription could not be read this tick");
        }
        SubscriptionStats stats = sub.stats();
        if (stats != null && stats.skippedChanges() > acknowledgedSkipped) {
            return fail(id, title, (stats.skippedChanges() - acknowledgedSkipped) + " change(s) skipped by a conflict ("
                    + String.join(", ", SubscriptionStats.SKIPPED_CHANGE) + "): the rows they were for differ between"
                    + " the two sides, however long ago; re-sync them, then acknowledge with POST /api/cutover/"
                    + (pair == null ? "{pair}" : pair) + "/acknowledge-skipped-changes", List.of(sub.name()));
        }
        if (stats != null) {
            if (stats.lastIncreaseAt() != null && Duration.between(stats.lastIncreaseAt(), now).compareTo(window) < 0) {
                return fail(id, title, stats.newApplyErrors() + " apply, " + stats.newSyncErrors() + " sync error(s)"
                        + (stats.newConflicts() == null ? "" : ", " + stats.newConflicts() + " conflict(s)")
                        + " since monitoring started, the latest " + Units.duration(Duration.between(stats.lastIncreaseAt(), now))
                        + " ago (window " + Units.duration(window) + ")", List.of(sub.name()));
            }
            // Counts already there at the first reading happened at an unknown time before it.
            Instant since = stats.observedSince() == null ? monitorStart : stats.observedSince();
            Duration watched = Duration.between(since.isAfter(monitorStart) ? since : monitorStart, now);
            if (watched.compareTo(window) < 0) {
                return unknown(id, title, "no new error, but its counters watched for " + Units.duration(watched)
                        + " of the " + Units.duration(window) + " window");
            }
            return pass(id, title, "no new error or conflict for " + Units.duration(window)
                    + " (pg_stat_subscription_stats; " + stats.applyErrors() + " apply and " + stats.syncErrors()
                    + " sync error(s) in total, older)");
        }
        // Before PostgreSQL 15 there are no error counters: an apply error restarts the worker, so a worker that has
        // stayed the same for the whole window is the evidence.
        if (sub.reading().workerPid() == null || sub.workerSince() == null) {
            return unknown(id, title, "no error counters before PostgreSQL 15, and no apply worker to watch");
        }
        Duration stable = Duration.between(sub.workerSince(), now);
        return stable.compareTo(window) >= 0
                ? pass(id, title, "apply worker pid " + sub.reading().workerPid() + " has run without a restart for " + Units.duration(stable)
                + " (no error counters before PostgreSQL 15)")
                : unknown(id, title, "apply worker pid " + sub.reading().workerPid() + " seen for " + Units.duration(stable) + " of the "
                + Units.duration(window) + " window (no error counters before PostgreSQL 15)");
    }

    static CutoverCheck tablesReady(SubscriptionInfo sub, DatabaseSnapshot source) {
        String id = "tables-ready", title = "every table has finished its initial sync and no table-sync slot remains";
        if (sub == null) {
            return unknown(id, title, "the subscription could not be read this tick");
        }
        List<String> problems = new ArrayList<>();
        for (SubscriptionTable t : sub.tables()) {
            if (!t.ready()) {
                problems.add(t.qualifiedName() + ": " + t.stateName());
            }
        }
        if (readable(source)) {
            source.slots().stream().map(SlotInfo::reading).filter(SlotReading::tableSync)
                    .forEach(s -> problems.add("table-sync slot " + s.name()));
        }
        if (sub.tables().isEmpty()) {
            return fail(id, title, "the subscription has no tables", List.of());
        }
        return problems.isEmpty() ? pass(id, title, sub.tables().size() + " table(s) ready")
                : fail(id, title, problems.size() + " item(s) still synchronizing", problems);
    }

    static CutoverCheck slotHealthy(SlotReading slot, DatabaseSnapshot source) {
        String id = "slot-healthy", title = "the slot is active and not at risk";
        if (!readable(source)) {
            return unknown(id, title, "the source could not be read this tick");
        }
        if (slot == null) {
            return fail(id, title, "the slot does not exist on the source", List.of());
        }
        if ("lost".equals(slot.walStatus()) || "unreserved".equals(slot.walStatus()) || slot.invalidationReason() != null) {
            return fail(id, title, "wal_status " + slot.walStatus()
                    + (slot.invalidationReason() == null ? "" : ", invalidated: " + slot.invalidationReason()), List.of(slot.name()));
        }
        return slot.active() ? pass(id, title, "active (pid " + slot.activePid() + "), wal_status " + slot.walStatus())
                : fail(id, title, "inactive: no subscriber is consuming it", List.of(slot.name()));
    }

    static CutoverCheck caughtUp(PairInfo pair, SubscriptionInfo sub) {
        String id = "caught-up", title = "0 bytes behind, and the target has applied all it received";
        if (pair.lagBytes() == null || sub == null) {
            return unknown(id, title, "lag unknown this tick");
        }
        if (pair.lagBytes() > 0) {
            return fail(id, title, Units.bytes(pair.lagBytes()) + " behind (stop writes, then wait for 0)", List.of());
        }
        if (sub.reading().receivedLsn() != null && !Objects.equals(sub.reading().receivedLsn(), sub.reading().latestEndLsn())) {
            return fail(id, title, "received " + sub.reading().receivedLsn() + " but reported applied up to " + sub.reading().latestEndLsn(), List.of());
        }
        return pass(id, title, "0 bytes behind" + (sub.reading().receivedLsn() == null ? "" : ", received = latest end = " + sub.reading().receivedLsn()));
    }

    /**
     * Nothing can still write to the source: no session holds a transaction id, no prepared transaction can still
     * commit, no subscription of its own brings writes from further up, and no row has changed for the quiet
     * period. A writer the monitor cannot see makes it unknown: other roles' sessions without pg_read_all_stats,
     * and a standby, whose writes happen on a primary. {@code default_transaction_read_only} is no evidence: any
     * session may turn it off.
     */
    static CutoverCheck sourceQuiet(DatabaseSnapshot source, Duration quietPeriod, Instant now) {
        String id = "source-quiet", title = "no writes on the source";
        SourceActivity activity = readable(source) ? source.activity() : null;
        if (activity == null || source.server() == null) {
            return unknown(id, title, "the source's activity could not be read this tick");
        }
        if (activity.writingTransactions() > 0) {
            return fail(id, title, activity.writingTransactions() + " transaction(s) writing now", List.of());
        }
        if (activity.procedureSessions() > 0) {
            return fail(id, title, procedures(activity.procedureSessions(), "the source"), List.of());
        }
        if (activity.preparedTransactions() > 0) {
            return fail(id, title, activity.preparedTransactions() + " prepared transaction(s) can still COMMIT PREPARED"
                    + " (pg_prepared_xacts): commit or roll them back first", List.of());
        }
        if (activity.upstreamSubscriptions() > 0) {
            return fail(id, title, "the source receives writes through " + activity.upstreamSubscriptions()
                    + " enabled subscription(s) of its own: disable them first (ALTER SUBSCRIPTION ... DISABLE)", List.of());
        }
        Duration quiet = activity.unchangedSince() == null ? Duration.ZERO : Duration.between(activity.unchangedSince(), now);
        if (quiet.compareTo(quietPeriod) < 0) {
            return fail(id, title, "rows changed " + Units.duration(quiet) + " ago (quiet needs " + Units.duration(quietPeriod) + ")", List.of());
        }
        if (source.server().inRecovery()) {
            return unknown(id, title, "the source is a standby: its writes happen on its primary, which the monitor does"
                    + " not watch here, and a standby's row counters do not move with replayed changes");
        }
        if (!source.server().readAllStats()) {
            return unknown(id, title, "no row changed for " + Units.duration(quiet) + ", but the monitor's role sees only its"
                    + " own sessions' transactions (GRANT pg_read_all_stats TO the monitor's role, or pg_monitor)");
        }
        if (activity.hiddenSessions() > 0) {
            return unknown(id, title, hidden(activity.hiddenSessions(), "the source"));
        }
        return pass(id, title, "no row changed for " + Units.duration(quiet) + ", no transaction is writing, no"
                + " procedure or DO block is running and no transaction is prepared");
    }

    /**
     * Nothing but the subscriptions' own workers writes on the target: a session holding a transaction id there, or
     * a prepared transaction, can commit rows the source does not have. Committed writes show in the deep results'
     * staleness (the target's row changes against the source's); this is the one still open. Unknown when the
     * monitor's role cannot see other roles' sessions.
     */
    static CutoverCheck targetQuiet(DatabaseSnapshot target) {
        String id = "target-quiet", title = "nothing but replication writes on the target";
        SourceActivity activity = readable(target) ? target.activity() : null;
        if (activity == null || target.server() == null) {
            return unknown(id, title, "the target's activity could not be read this tick");
        }
        if (activity.writingTransactions() > 0) {
            return fail(id, title, activity.writingTransactions() + " transaction(s) on the target writing now, by sessions"
                    + " other than the subscriptions' workers: what they commit is not on the source", List.of());
        }
        if (activity.procedureSessions() > 0) {
            return fail(id, title, procedures(activity.procedureSessions(), "the target"), List.of());
        }
        if (activity.preparedTransactions() > 0) {
            return fail(id, title, activity.preparedTransactions() + " prepared transaction(s) on the target can still"
                    + " COMMIT PREPARED (pg_prepared_xacts): commit or roll them back first", List.of());
        }
        if (!target.server().readAllStats()) {
            return unknown(id, title, "the monitor's role sees only its own sessions' transactions on the target"
                    + " (GRANT pg_read_all_stats TO the monitor's role, or pg_monitor)");
        }
        if (activity.hiddenSessions() > 0) {
            return unknown(id, title, hidden(activity.hiddenSessions(), "the target"));
        }
        return pass(id, title, "no transaction but the subscriptions' is writing on the target, no procedure or DO block"
                + " is running there, none is prepared");
    }

    /**
     * A procedure or DO block that COMMITs inside holds no transaction id between its batches and shows its row
     * counters only when it ends, so neither the writing sessions nor the quiet period see it coming back.
     */
    private static String procedures(int sessions, String side) {
        return sessions + " session(s) on " + side + " running a procedure or DO block (CALL or DO in pg_stat_activity):"
                + " it can COMMIT more rows while it runs, and its row counters show only when it ends; let it finish"
                + " or cancel it";
    }

    /** A session with track_activities off shows no statement: a procedure asleep between its COMMITs looks idle. */
    private static String hidden(int sessions, String side) {
        return sessions + " session(s) on " + side + " run with track_activities off (state 'disabled' in"
                + " pg_stat_activity): whether one is running a procedure or DO block cannot be seen; end them, or turn"
                + " it back on for their role (ALTER ROLE ... RESET track_activities)";
    }

    /** A table the subscription has now that the deep check did not compare: nothing is proven of it. */
    static String uncovered(DeepCheck deep, SubscriptionInfo sub) {
        if (deep == null || sub == null) {
            return null;
        }
        Set<String> compared = new HashSet<>();
        deep.tables().forEach(t -> compared.add(t.table()));
        List<String> missing = sub.tables().stream().map(SubscriptionTable::qualifiedName)
                .filter(t -> !compared.contains(t)).toList();
        return missing.isEmpty() ? null : "subscribed now but not in the deep check of " + deep.at() + ": "
                + Units.sample(missing) + ": run it again (POST /api/cutover/deep-check)";
    }

    /**
     * Why the deep results may no longer hold, or null when nothing they rest on has changed: rows changed on the
     * source after them, or a part of either side's catalog fingerprint differs from the one the deep check read
     * (DDL, TRUNCATE and rewrites, publications, subscriptions and their tables, sequences), or the row changes
     * counted on the target since then differ from those on the source (a write on the target, or changes not yet
     * applied). What cannot be compared makes them stale too, and so does a table-definition hash carried from an
     * earlier tick (the cheap test that let it be carried can be late): the next tick hashes it, see
     * {@link #catalogsToConfirm}.
     */
    static String staleness(DeepCheck deep, DatabaseSnapshot source, DatabaseSnapshot target) {
        return staleness(deep, source, target, true);
    }

    /**
     * The databases whose table definitions must be hashed on the next tick: those of every pair whose deep results
     * hold but for a hash carried from an earlier tick, or hold outright (so that each tick confirms them). Pairs
     * whose deep results are stale anyway (rows keep changing during a migration) need no hash every tick.
     */
    public static Set<String> catalogsToConfirm(Snapshot snapshot, Map<String, DeepCheck> deep) {
        Set<String> names = new java.util.TreeSet<>();
        for (PairInfo pair : snapshot.pairs()) {
            DeepCheck check = deep.get(pair.name());
            if (check != null && staleness(check, snapshot.database(pair.sourceDatabase()),
                    snapshot.database(pair.targetDatabase()), false) == null) {
                names.add(pair.sourceDatabase());
                names.add(pair.targetDatabase());
            }
        }
        return names;
    }

    private static String staleness(DeepCheck deep, DatabaseSnapshot source, DatabaseSnapshot target, boolean hashedNow) {
        if (deep == null) {
            return null;
        }
        String again = ": run it again (POST /api/cutover/deep-check)";
        if (readable(source) && source.activity() != null && source.activity().unchangedSince() != null
                && deep.at().isBefore(source.activity().unchangedSince())) {
            return "rows changed on the source after the deep check of " + deep.at() + again;
        }
        Fingerprint sourceThen = deep.sourceFingerprint(), targetThen = deep.targetFingerprint();
        if (sourceThen == null || targetThen == null) {
            return "the deep check of " + deep.at() + " read no catalog fingerprint, so what changed since is not known" + again;
        }
        Fingerprint sourceNow = readable(source) ? source.fingerprint() : null;
        Fingerprint targetNow = readable(target) ? target.fingerprint() : null;
        if (sourceNow == null || targetNow == null) {
            return "the " + (sourceNow == null ? "source's" : "target's") + " catalog fingerprint was not read this tick,"
                    + " so whether the deep results still hold is not known";
        }
        List<String> changed = new ArrayList<>();
        if (!sourceNow.tables().equals(sourceThen.tables())) {
            changed.add("a table on the source was altered, truncated or rewritten");
        }
        if (!targetNow.tables().equals(targetThen.tables())) {
            changed.add("a table on the target was altered, truncated or rewritten");
        }
        if (!sourceNow.publications().equals(sourceThen.publications())) {
            changed.add("a publication on the source changed");
        }
        if (!targetNow.subscriptions().equals(targetThen.subscriptions())) {
            changed.add("the target's subscriptions or their tables changed (created, dropped, refreshed)");
        }
        if (!sourceNow.sequences().equals(sourceThen.sequences()) || !targetNow.sequences().equals(targetThen.sequences())) {
            changed.add("a sequence moved on the " + (sourceNow.sequences().equals(sourceThen.sequences()) ? "target" : "source"));
        }
        long onSource = sourceNow.rowChanges() - sourceThen.rowChanges();
        long onTarget = targetNow.rowChanges() - targetThen.rowChanges();
        if (onSource != onTarget) {
            changed.add(onTarget + " row change(s) on the target against " + onSource + " on the source (a write on the"
                    + " target, or changes not applied yet)");
        }
        if (!changed.isEmpty()) {
            return String.join("; ", changed) + " since the deep check of " + deep.at() + again;
        }
        if (hashedNow && (!sourceNow.tablesRead() || !targetNow.tablesRead())) {
            return "the table definitions on the " + (sourceNow.tablesRead() ? "target" : "source") + " were not hashed"
                    + " this tick (their catalog counters had not moved, which can be late): the next tick hashes them";
        }
        return null;
    }

    private static final String NOT_RUN = "not checked yet: run the deep checks (POST /api/cutover/deep-check)";

    static CutoverCheck sequences(DeepCheck deep, String stale) {
        String id = "sequences", title = "every sequence on the target is at or above the source's";
        if (deep == null) {
            return unknown(id, title, NOT_RUN);
        }
        if (deep.sequencesProblem() != null) {
            return unknown(id, title, deep.sequencesProblem());
        }
        List<String> behind = deep.sequences().stream().filter(s -> s.status() != SequenceStatus.OK)
                .map(s -> s.sequence() + ": " + s.status().code() + (s.fix() == null ? "" : " (" + s.fix() + ")")).toList();
        if (!behind.isEmpty()) {
            return fail(id, title, behind.size() + " of " + deep.sequences().size() + " sequence(s) not ready", behind);
        }
        if (stale != null) {
            return unknown(id, title, stale);
        }
        return pass(id, title, deep.sequences().size() + " sequence(s) at or above the source's");
    }

    static CutoverCheck rowCounts(DeepCheck deep, String stale) {
        return rowCounts(deep, stale, Set.of());
    }

    /** @param rowFiltered tables declared sent in part by a row filter: their counts are not compared */
    static CutoverCheck rowCounts(DeepCheck deep, String stale, Set<String> rowFiltered) {
        String id = "row-counts", title = "row counts match on every table";
        if (deep == null) {
            return unknown(id, title, NOT_RUN);
        }
        if (deep.countsProblem() != null) {
            return unknown(id, title, deep.countsProblem());
        }
        List<String> differ = new ArrayList<>();
        List<String> uncounted = new ArrayList<>();
        List<String> filtered = new ArrayList<>();
        for (DeepCheck.TableCount t : deep.tables()) {
            if (rowFiltered.contains(t.table())) {
                filtered.add(t.table() + ": not compared, its rows sent in part as declared ("
                        + t.sourceRows() + " on the source, " + t.targetRows() + " on the target)");
            } else if (t.note() != null) {
                uncounted.add(t.table() + ": " + t.note());
            } else if (!t.matches()) {
                differ.add(t.table() + ": " + t.sourceRows() + " on the source, " + t.targetRows() + " on the target");
            }
        }
        if (!differ.isEmpty()) {
            return fail(id, title, differ.size() + " table(s) differ", differ);
        }
        if (!uncounted.isEmpty()) {
            return new CutoverCheck(id, title, CutoverCheck.Result.UNKNOWN, uncounted.size() + " table(s) not counted", uncounted);
        }
        if (stale != null) {
            return unknown(id, title, stale);
        }
        return pass(id, title, (deep.tables().size() - filtered.size()) + " table(s) with equal counts"
                + (filtered.isEmpty() ? "" : "; " + filtered.size() + " declared sent in part (rows filtered or an operation not published), not compared"),
                filtered);
    }

    /**
     * Every table's rows match in content (deep check): a differing key range fails; a table not compared (no key,
     * over the budget, changing while compared, counts that differ) is unknown, never a pass.
     *
     * @param declared tables the operator declared sent in part: not compared, and named
     */
    static CutoverCheck content(DeepCheck deep, String stale, Set<String> declared) {
        return content(deep, stale, declared, table -> null);
    }

    /** @param countsSuffice the declaration that makes a table's count proof enough, or null for none */
    static CutoverCheck content(DeepCheck deep, String stale, Set<String> declared, Function<String, String> countsSuffice) {
        String id = "content", title = "the rows of every table match in content (key ranges hashed on both sides)";
        if (deep == null) {
            return unknown(id, title, NOT_RUN);
        }
        if (deep.countsProblem() != null) {
            return unknown(id, title, deep.countsProblem());
        }
        List<String> skipped = new ArrayList<>();
        for (DeepCheck.TableCount t : deep.tables()) {
            String declaration = countsSuffice.apply(t.table());
            if (declaration != null) {
                skipped.add(t.table() + ": its count is proof enough, as declared by " + declaration
                        + " (monitor.cutover.counts-suffice)");
            }
        }
        if (deep.content().isEmpty() && skipped.isEmpty()) {
            return unknown(id, title, "the content comparison did not run");
        }
        List<String> differ = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        long rows = 0;
        List<String> carried = new ArrayList<>();
        for (TableContent t : deep.content()) {
            if (declared.contains(t.table())) {
                skipped.add(t.table() + ": not compared, sent in part as declared");
            } else if (t.result() == TableContent.Result.DIFFER) {
                differ.add(t.table() + ": " + t.detail());
            } else if (t.result() == TableContent.Result.UNKNOWN) {
                notCompared.add(t.table() + ": " + t.detail());
            } else {
                rows += t.rows();
                if (t.provenAt() != null && t.detail() != null) {
                    carried.add(t.table());
                }
            }
        }
        if (!differ.isEmpty()) {
            return fail(id, title, differ.size() + " table(s) differ in content", differ);
        }
        if (!notCompared.isEmpty()) {
            return new CutoverCheck(id, title, CutoverCheck.Result.UNKNOWN, notCompared.size() + " table(s) not compared",
                    notCompared);
        }
        if (stale != null) {
            return unknown(id, title, stale);
        }
        long partial = skipped.stream().filter(i -> i.endsWith("sent in part as declared")).count();
        return pass(id, title, (deep.content().size() - partial) + " table(s), " + rows + " row(s), equal in content"
                + (carried.isEmpty() ? "" : "; " + carried.size() + " of them proven by an earlier run and unchanged"
                + " since on either side, not hashed again: " + Units.sample(carried))
                + (skipped.isEmpty() ? "" : "; not compared, as declared: " + Units.sample(skipped.stream()
                .map(i -> i.substring(0, i.indexOf(':'))).toList())), skipped);
    }

    static CutoverCheck schema(DeepCheck deep) {
        return schema(deep, null);
    }

    static CutoverCheck schema(DeepCheck deep, String stale) {
        String id = "schema", title = "the columns of every table match (DDL is not replicated)";
        if (deep == null) {
            return unknown(id, title, NOT_RUN);
        }
        if (!deep.schemaDiffs().isEmpty()) {
            return fail(id, title, deep.schemaDiffs().size() + " difference(s)", deep.schemaDiffs());
        }
        if (deep.schemaProblem() != null) {
            return unknown(id, title, deep.schemaProblem());
        }
        if (stale != null) {
            return unknown(id, title, stale);
        }
        return pass(id, title, "no difference in " + deep.tables().size() + " table(s)");
    }

    static CutoverCheck largeObjects(DatabaseSnapshot source) {
        String id = "large-objects", title = "no large objects (they are not replicated)";
        SourceActivity activity = readable(source) ? source.activity() : null;
        if (activity == null) {
            return unknown(id, title, "the source's large objects could not be counted this tick");
        }
        return activity.largeObjects() == 0 ? pass(id, title, "none on the source")
                : fail(id, title, activity.largeObjects() + " large object(s) on the source: copy them separately", List.of());
    }

    /** Used by the deep checker: the statement that brings a target sequence up to the source's value. */
    static SequenceReport compare(String sequence, Long source, Long target, boolean onTarget) {
        return compare(sequence, source, target, onTarget, true);
    }

    /**
     * @param source     the last value the source handed out (or would hand out before its next)
     * @param ascending  false for a sequence that counts down: the target must then be at or below the source
     */
    static SequenceReport compare(String sequence, Long source, Long target, boolean onTarget, boolean ascending) {
        if (!onTarget) {
            return new SequenceReport(sequence, source, null, SequenceStatus.MISSING, "CREATE SEQUENCE " + sequence
                    + " on the target, and have the columns that draw on it on the source draw on it there too (an identity"
                    + " or default drawing on another sequence starts where that one stands; the schema check names them)");
        }
        if (source == null) {
            return new SequenceReport(sequence, null, target, SequenceStatus.OK, null);
        }
        if (target != null && (ascending ? target >= source : target <= source)) {
            return new SequenceReport(sequence, source, target, SequenceStatus.OK, null);
        }
        return new SequenceReport(sequence, source, target, SequenceStatus.BEHIND, "SELECT setval('" + sequence.replace("'", "''") + "', " + source + ", true);");
    }
}

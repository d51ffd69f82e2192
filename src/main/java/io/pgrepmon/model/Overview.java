package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgrepmon.config.Role;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance, for the dashboard's overview: one short row per pair and per database, the summary's
 * counts and the active alerts. A page about one pair or one database asks for that part of the snapshot instead
 * ({@link Snapshot#forPair}, {@link Snapshot#forDatabase}); this is what a page about all of them needs, at a tenth of
 * the whole snapshot's size.
 *
 * In its rows a field that is null is left out, which makes a fleet's overview a third smaller.
 *
 * @param slotsAtRisk  {@code database/slot} of every slot whose health is not healthy, worst first
 * @param slots        logical slots in the fleet
 * @param sparkSeconds the span of every pair's {@code spark}
 * @param alerts       the active alerts whole, the recently resolved ones only counted
 */
@RegisterForReflection
public record Overview(long sequence, Instant takenAt, long tookMillis, long intervalMillis, Status status,
                       Summary summary, List<PairRow> pairs, List<DatabaseRow> databases, int slots,
                       List<String> slotsAtRisk, long sparkSeconds, Alerts alerts) {

    /**
     * One pair in a line.
     *
     * @param reason       the first of its health reasons (null when healthy); {@code reasons} counts them all
     * @param verdict      its cutover verdict; null before the first evaluation
     * @param passedChecks how many of its cutover checks pass (their names are in the pair's part of the snapshot)
     * @param checks       how many cutover checks it has
     * @param trend        its lag trend's direction, null when there is none yet
     * @param etaSeconds   when it is expected to catch up, when it is catching up
     * @param lagPeak      the highest lag in bytes over the overview's {@code sparkSeconds}, null when none was recorded
     * @param spark        the lag over the overview's last {@code sparkSeconds} in equal steps, oldest first, each the step's
     *                     highest value in percent of {@code lagPeak}; null for a step without a point
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PairRow(String name, String sourceDatabase, String slotName, String targetDatabase, String subscription,
                          Status status, String reason, int reasons, PairCutover.Verdict verdict, int passedChecks,
                          int checks, Long lagBytes, Double lagSeconds, LagMethod lagMethod, TrendDirection trend,
                          Double etaSeconds, Map<String, Integer> tableStates, int missingTables, Long lagPeak,
                          List<Integer> spark) {
    }

    /**
     * One database in a line.
     *
     * @param status  its health, {@code down} when unreachable
     * @param reason  why it is down, or the first of its health reasons; null when healthy
     * @param version the server's version, null when never reached
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatabaseRow(String name, Role role, String host, int port, String dbname, boolean reachable, Status status,
                              String reason, int reasons, String version, boolean standby, Instant lastSuccessAt) {
    }

    /** Active alerts and the webhooks' state; resolved alerts only counted (their list is in the whole snapshot). */
    @RegisterForReflection
    public record Alerts(List<Alert> active, int recent, List<AlertsView.Notifier> notifiers) {
    }
}

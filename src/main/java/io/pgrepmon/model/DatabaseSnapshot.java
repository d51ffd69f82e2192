package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.pgrepmon.config.Role;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One database as seen by the latest tick. When it could not be polled, {@code reachable} is false,
 * {@code error} says why and the lists are empty: nothing old is carried over as if it were current.
 *
 * @param error         why this tick's poll failed, or null
 * @param lastSuccessAt the last tick that polled it successfully (null if none yet)
 * @param lastError     the most recent failure and {@code lastErrorAt} its time, kept after recovery
 * @param privileges    privileges the monitor's role lacks here, each with what it hides and the grant that fixes it
 * @param walSenders    logical walsenders (sources)
 * @param publicationFilters tables a publication sends only in part: column lists and row filters (sources, 15+)
 * @param tables        user tables with their publications and replica identity (sources)
 * @param activity      write activity and large objects (null when not read); on a target, the writers other than
 *                      its subscriptions' workers, and no {@code unchangedSince}
 * @param heartbeat     the heartbeat row written (source) or applied (target); null without a heartbeat
 * @param catalogReadAt when {@code tables}, {@code publications} and {@code publicationFilters} were read: they are
 *                      read again when the catalog changes, and at least every {@code monitor.catalog-interval}
 * @param fingerprint   what deep results are judged against (not published: its hashes mean nothing to a reader);
 *                      null when not read
 */
@RegisterForReflection
public record DatabaseSnapshot(String name, Role role, String host, int port, String dbname, boolean reachable,
                               Health health, ServerInfo server, Instant polledAt, long pollMillis, String error,
                               Instant lastSuccessAt, String lastError, Instant lastErrorAt, List<ProbeReport> probes,
                               List<String> privileges, List<SlotInfo> slots, List<WalSenderInfo> walSenders,
                               List<PublicationInfo> publications,
                               List<PublicationFilter> publicationFilters, List<TableInfo> tables,
                               List<SubscriptionInfo> subscriptions, SourceActivity activity, Heartbeat heartbeat,
                               Instant catalogReadAt, @JsonIgnore Fingerprint fingerprint) {

    public DatabaseSnapshot {
        probes = List.copyOf(probes);
        privileges = List.copyOf(privileges);
        slots = List.copyOf(slots);
        walSenders = List.copyOf(walSenders);
        publications = List.copyOf(publications);
        publicationFilters = List.copyOf(publicationFilters);
        tables = List.copyOf(tables);
        subscriptions = List.copyOf(subscriptions);
    }

    /** Whether a probe ran here this tick and answered: what it would list is known, not merely absent. */
    public boolean answered(String probe) {
        return reachable && probes.stream().anyMatch(p -> p.probe().equals(probe) && !p.failed());
    }
}

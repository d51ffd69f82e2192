package io.pgrepmon.probe;

import java.util.List;

/**
 * Every probe the monitor runs, in the order their reports are listed. Adding a probe is its file and one line
 * here; the reader runs each that applies, and consumers find its rows by its class.
 */
public final class Probes {

    // ActivityProbe runs before SlotsProbe on purpose (the probes of a database run in this order on one connection).
    public static final List<Probe<?>> ALL = List.of(
            new ActivityProbe(),
            new SlotsProbe(),
            new SlotStatsProbe(),
            new WalSendersProbe(),
            new PublicationsProbe(),
            new PublicationFiltersProbe(),
            new TablesProbe(),
            new FingerprintProbe(),
            new SubscriptionsProbe(),
            new SubscriptionTablesProbe(),
            new SubscriptionStatsProbe(),
            new HeartbeatProbe());

    private Probes() {
    }
}

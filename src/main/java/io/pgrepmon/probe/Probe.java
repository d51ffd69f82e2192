package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.db.Sql;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * One catalog view read on one database: its SQL, chosen by the server's version (never by trying and failing),
 * and the mapping of its rows. It runs on the connection the reader gives it and may fail on its own without
 * stopping the others. A probe is registered once, in {@link Probes#ALL}; what it read is found in a reading by
 * its class.
 */
public interface Probe<T> {

    /** Short name used in probe reports, e.g. {@code slots}. */
    String name();

    /** How often its answer changes, and so how often it is read; most probes are read every tick. */
    default Cadence cadence() {
        return Cadence.TICK;
    }

    /**
     * Whether this answer may stand for later ticks ({@link Cadence#CATALOG}): false when part of it could not be
     * read this time, so that the next tick reads it again.
     */
    default boolean complete(List<T> rows) {
        return true;
    }

    /** When a probe is read. */
    enum Cadence {
        /** Every tick: positions, slots, workers, counters. */
        TICK,
        /**
         * The catalog (tables, publications, sizes, keys and replica identity): read again only when the catalog
         * fingerprint read that tick differs from the one it was last read after, or once it is
         * {@code monitor.catalog-interval} old; in between its last answer stands.
         */
        CATALOG
    }

    /** Whether this probe reads anything on this database (its role and settings) and server (its version). */
    boolean appliesTo(DatabaseSettings db, ServerInfo server);

    /** The statement for this database and server version; only asked where the probe applies. */
    String sql(DatabaseSettings db, ServerInfo server);

    /** One row of that statement's result. */
    T map(Row row, ServerInfo server);

    default Uni<List<T>> read(SqlConnection connection, DatabaseSettings db, ServerInfo server) {
        return Sql.rows(connection, sql(db, server), row -> map(row, server));
    }

    /** The version-dependent part of a select list: the expression where the server has it, a typed NULL where not. */
    static String since(ServerInfo server, int versionNum, String expression, String nullType) {
        return server.versionNum() >= versionNum ? expression : "NULL::" + nullType;
    }
}

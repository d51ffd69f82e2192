package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.model.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * One catalog view read on one database. Each probe picks its SQL by the server's version (never by trying and
 * failing), runs on the connection the reader gives it, and may fail on its own without stopping the others.
 * A probe is registered once, in {@link Probes#ALL}; what it read is found in a reading by its class.
 */
public interface Probe<T> {

    /** Short name used in probe reports, e.g. {@code slots}. */
    String name();

    /** Whether this probe reads anything on this database (its role and settings) and server (its version). */
    boolean appliesTo(DatabaseSettings db, ServerInfo server);

    Uni<List<T>> read(SqlConnection connection, DatabaseSettings db, ServerInfo server);

    /** The version-dependent part of a select list: the expression where the server has it, a typed NULL where not. */
    static String since(ServerInfo server, int versionNum, String expression, String nullType) {
        return server.versionNum() >= versionNum ? expression : "NULL::" + nullType;
    }
}

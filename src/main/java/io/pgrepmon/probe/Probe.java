package io.pgrepmon.probe;

import io.pgrepmon.config.Role;
import io.pgrepmon.snapshot.ServerInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * One catalog view read on one database. Each probe picks its SQL by the server's version (never by trying and
 * failing), runs on the connection the poller gives it, and may fail on its own without stopping the others.
 */
public interface Probe<T> {

    /** Short name used in probe reports, e.g. {@code slots}. */
    String name();

    /** Whether this probe reads anything on a database of this role and server. */
    boolean appliesTo(Role role, ServerInfo server);

    Uni<List<T>> read(SqlConnection connection, ServerInfo server);

    /** The version-dependent part of a select list: the expression where the server has it, a typed NULL where not. */
    static String since(ServerInfo server, int versionNum, String expression, String nullType) {
        return server.versionNum() >= versionNum ? expression : "NULL::" + nullType;
    }
}

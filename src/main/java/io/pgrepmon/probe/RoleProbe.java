package io.pgrepmon.probe;

import io.pgrepmon.config.DatabaseSettings;
import io.pgrepmon.config.Role;
import io.pgrepmon.model.ServerInfo;

/**
 * A probe of one side of replication, from the server version that has its view on. A probe whose statement is
 * the same on every version gives it here; one whose statement varies overrides {@link #sql}.
 */
abstract class RoleProbe<T> implements Probe<T> {

    private final String name;
    private final Role role;
    private final int sinceVersionNum;
    private final String fixedSql;

    /**
     * @param name            the probe's name in reports
     * @param role            the side whose catalogs it reads
     * @param sinceVersionNum the first {@code server_version_num} that has its view (0: all supported)
     */
    RoleProbe(String name, Role role, int sinceVersionNum) {
        this(name, role, sinceVersionNum, null);
    }

    /** @param fixedSql the statement, the same on every version it applies to */
    RoleProbe(String name, Role role, int sinceVersionNum, String fixedSql) {
        this.name = name;
        this.role = role;
        this.sinceVersionNum = sinceVersionNum;
        this.fixedSql = fixedSql;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String sql(DatabaseSettings db, ServerInfo server) {
        return fixedSql;
    }

    @Override
    public boolean appliesTo(DatabaseSettings db, ServerInfo server) {
        return db.role() == role && server.versionNum() >= sinceVersionNum;
    }
}

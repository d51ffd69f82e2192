package io.pgrepmon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What every database reports about itself.
 *
 * @param versionNum   {@code server_version_num}, e.g. 160004; probes choose their queries by it
 * @param inRecovery   a standby: it has no current WAL write position of its own
 * @param currentLsn   {@code pg_current_wal_lsn()} on a primary, the last replayed position on a standby
 * @param user         the role the monitor logged in as
 * @param readAllStats whether that role may see other sessions' statistics ({@code pg_read_all_stats}, part of
 *                     {@code pg_monitor}); without it walsender positions and copy progress come back empty
 */
@RegisterForReflection
public record ServerInfo(int versionNum, String version, boolean inRecovery, Lsn currentLsn, String user,
                         boolean readAllStats) {

    public int major() {
        return versionNum / 10000;
    }
}

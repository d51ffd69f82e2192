package io.pgrepmon.harness;

/**
 * One running PostgreSQL server behind a {@link PgCluster}: a local process started with pg_ctl
 * ({@link LocalServer}) or a container started by Testcontainers ({@link ContainerServer}). The scenarios see only
 * PgCluster, so they run the same on either.
 */
interface PgServer extends AutoCloseable {

    /** The address the tests and the monitor connect to. */
    String host();

    int port();

    /** The address another cluster of the same test reaches this one at, for a subscription's CONNECTION. */
    String peerHost();

    int peerPort();

    void start();

    /** {@code smart}, {@code fast} (sessions end cleanly) or {@code immediate} (a crash). */
    void stop(String mode);

    boolean running();

    String log();

    /** Puts a rule first in pg_hba.conf (so it wins) and reloads the server. */
    void addHbaRule(String rule);

    /** A streaming standby of this server, without its replication slots. */
    PgServer standby(String name, String password);

    @Override
    void close();
}

package io.pgrepmon.config;

/**
 * One database as the poller uses it, password resolved. {@code heartbeatSchema} is set when a heartbeat involves
 * it: a source writes the beat, a target reads it. {@link #toString()} leaves the password out so that
 * no log line or exception message built from this can carry it.
 */
public record DatabaseSettings(String name, String host, int port, String user, String password, String dbname,
                               Role role, SslMode sslMode, String sslRootCert,
                               String source, String heartbeatSchema, PasswordSource passwordSource) {

    /** A database whose password is configured as it is, not read from a file. */
    public DatabaseSettings(String name, String host, int port, String user, String password, String dbname, Role role,
                            SslMode sslMode, String sslRootCert, String source, String heartbeatSchema) {
        this(name, host, port, user, password, dbname, role, sslMode, sslRootCert, source, heartbeatSchema,
                new PasswordSource(password, null));
    }

    public DatabaseSettings {
        passwordSource = passwordSource == null ? new PasswordSource(password, null) : passwordSource;
    }

    /** The same database with its heartbeat schema, keeping the same source of its password. */
    public DatabaseSettings withHeartbeatSchema(String schema) {
        return new DatabaseSettings(name, host, port, user, password, dbname, role, sslMode, sslRootCert, source, schema,
                passwordSource);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[name=" + name + ", host=" + host + ", port=" + port + ", user=" + user + ", dbname=" + dbname
                + ", role=" + role + ", sslMode=" + sslMode + (source == null ? "" : ", source=" + source) + "]";
    }

    /** Replaces every occurrence of this database's passwords (the configured one, and any read since) in a text. */
    public String redact(String text) {
        return passwordSource.redact(text);
    }
}

package io.pgrepmon.config;

/**
 * One database as the poller uses it, password resolved. {@code heartbeatSchema} is set when a heartbeat involves
 * it: a source writes the beat, a target reads it. {@link #toString()} leaves the password out so that
 * no log line or exception message built from this can carry it.
 */
public record DatabaseSettings(String name, String host, int port, String user, String password, String dbname,
                               Role role, SslMode sslMode, String sslRootCert,
                               String source, String heartbeatSchema) {

    @Override
    public String toString() {
        return "DatabaseSettings[name=" + name + ", host=" + host + ", port=" + port + ", user=" + user + ", dbname=" + dbname
                + ", role=" + role + ", sslMode=" + sslMode + (source == null ? "" : ", source=" + source) + "]";
    }

    /** Replaces every occurrence of this database's password in a text that may have come from a driver. */
    public String redact(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "********");
    }
}

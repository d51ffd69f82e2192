package io.pgrepmon.config;

/** libpq's sslmode values; the YAML spells them in lower case with hyphens (verify-full). */
public enum SslMode {
    DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

    /** Whether the server certificate must chain to a configured CA. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }
}

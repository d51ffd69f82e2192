package io.pgrepmon.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A password read again from its file: the new one is used, and every one it held stays redacted. */
class PasswordSourceTest {

    @Test
    void aNewPasswordReplacesTheOldAndBothAreRedacted() {
        PasswordSource source = new PasswordSource("old-secret", "/run/secrets/db");
        assertThat(source.update("old-secret\n")).as("the same password, trailing newline dropped").isFalse();
        assertThat(source.update("   \n")).as("an empty file is not a password").isFalse();
        assertThat(source.current()).isEqualTo("old-secret");
        assertThat(source.update("new-secret\n")).isTrue();
        assertThat(source.current()).isEqualTo("new-secret");
        assertThat(source.redact("auth failed for old-secret, then new-secret")).isEqualTo("auth failed for ********, then ********");
        assertThat(source.toString()).isEqualTo("PasswordSource[file=/run/secrets/db]").doesNotContain("secret\"");
        DatabaseSettings db = new DatabaseSettings("db", "h", 5432, "u", "old-secret", "app", Role.SOURCE, SslMode.DISABLE,
                null, null, null, source);
        assertThat(db.redact("x new-secret y")).isEqualTo("x ******** y");
        assertThat(db.toString()).doesNotContain("secret");
        source.update("new-secret-2");
        assertThat(source.redact("now new-secret-2")).as("the longer one whole").isEqualTo("now ********");
        assertThat(db.withHeartbeatSchema("public").passwordSource()).isSameAs(source);
    }
}

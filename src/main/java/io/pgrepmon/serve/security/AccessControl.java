package io.pgrepmon.serve.security;

import io.pgrepmon.config.Sha256;

import io.pgrepmon.config.SecuritySettings;
import io.pgrepmon.config.Settings;
import jakarta.inject.Singleton;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.InvalidKeySpecException;

/**
 * The access rules, in one place: whether credentials are required, checking a token or a password against the
 * configured hashes, and which Origins may open the WebSocket. Only hashes are held, never a token or password.
 */
@Singleton
public class AccessControl {

    static final String REALM = "pg-replication-monitor";
    private static final WildFlyElytronPasswordProvider PROVIDER = WildFlyElytronPasswordProvider.getInstance();

    private final SecuritySettings settings;
    private final Password basicHash;

    public AccessControl(Settings settings) {
        this.settings = settings.get().security();
        this.basicHash = this.settings.basicHash() == null ? null : decodeBcrypt(this.settings.basicHash());
    }

    public boolean enabled() {
        return settings.enabled();
    }

    boolean tokenConfigured() {
        return settings.tokenSha256() != null;
    }

    boolean basicConfigured() {
        return settings.basicUser() != null;
    }

    /** Constant-time comparison of the token's SHA-256 with the configured one. */
    boolean tokenMatches(String token) {
        if (settings.tokenSha256() == null || token == null) {
            return false;
        }
        return MessageDigest.isEqual(Sha256.of(token), settings.tokenSha256());
    }

    /** bcrypt verification: CPU-heavy by design, so callers run it off the event loop. */
    boolean passwordMatches(String user, char[] password) {
        if (basicHash == null || user == null) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                settings.basicUser().getBytes(StandardCharsets.UTF_8));
        try {
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            // Verify even for a wrong user name, so the answer takes as long either way.
            boolean passwordOk = factory.verify(factory.translate(basicHash), password);
            return userMatches && passwordOk;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A browser always sends Origin on a WebSocket handshake; a page of another site may not open ours with the
     * user's credentials (cross-site WebSocket hijacking). Allowed: no Origin (not a browser), the page's own
     * origin (same host and port as the Host header), or one of {@code monitor.security.allowed-origins}.
     */
    public boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (settings.allowedOrigins().stream().anyMatch(allowed -> allowed.equalsIgnoreCase(origin))) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI page = URI.create(origin);
            URI request = URI.create("//" + host); // the Host header: host[:port], IPv6 in brackets
            if (page.getHost() == null || request.getHost() == null) {
                return false;
            }
            int defaultPort = "https".equalsIgnoreCase(page.getScheme()) ? 443 : 80;
            int pagePort = page.getPort() != -1 ? page.getPort() : defaultPort;
            int requestPort = request.getPort() != -1 ? request.getPort() : defaultPort;
            return page.getHost().equalsIgnoreCase(request.getHost()) && pagePort == requestPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** $2b$ and $2y$ are the same algorithm as $2a$ for any correct implementation; Elytron reads the $2a$ form. */
    private static Password decodeBcrypt(String hash) {
        String normalized = hash.replaceFirst("^\\$2[by]\\$", "\\$2a\\$");
        try {
            return ModularCrypt.decode(normalized);
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException("monitor.security.basic.password-hash could not be read as bcrypt", e);
        }
    }
}

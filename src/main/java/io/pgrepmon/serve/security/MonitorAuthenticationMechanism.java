package io.pgrepmon.serve.security;

import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} or {@code Authorization: Basic ...} and hands it to the identity
 * providers. Browsers cannot set headers on a WebSocket: the dashboard sends the header as a sub-protocol, which
 * Quarkus turns back into the header before this runs (propagate-subprotocol-headers), so the token never goes
 * into a URL that proxies and access logs would keep.
 */
@ApplicationScoped
public class MonitorAuthenticationMechanism implements HttpAuthenticationMechanism {

    private final AccessControl access;
    private final AuthThrottle throttle;

    public MonitorAuthenticationMechanism(AccessControl access, AuthThrottle throttle) {
        this.access = access;
        this.throttle = throttle;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (!access.enabled() || header == null) {
            return Uni.createFrom().nullItem();
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7) && access.tokenConfigured()) {
            String token = header.substring(7).trim();
            return throttled(context, () -> identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer"))));
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6) && access.basicConfigured()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().nullItem();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Uni.createFrom().nullItem();
            }
            return throttled(context, () -> identities.authenticate(new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                    new PasswordCredential(decoded.substring(colon + 1).toCharArray()))));
        }
        return Uni.createFrom().nullItem();
    }

    /**
     * An attempt from a client that failed too often waits its turn before the credential is checked (on a timer of
     * the request's own event loop: nothing waits on a thread); see {@link AuthThrottle}.
     */
    private Uni<SecurityIdentity> throttled(RoutingContext context, java.util.function.Supplier<Uni<SecurityIdentity>> attempt) {
        String address = context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
        long wait = throttle.admit(address, System.currentTimeMillis());
        Uni<Void> turn = wait == 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().<Void>emitter(done -> context.vertx().setTimer(wait, id -> done.complete(null)));
        // Deferred: the credential is checked (bcrypt for a basic password) only once the turn has come.
        return turn.flatMap(ignored -> Uni.createFrom().<SecurityIdentity>deferred(attempt::get))
                .invoke(identity -> throttle.succeeded(address))
                .onFailure().invoke(failure -> throttle.failed(address, System.currentTimeMillis()));
    }

    /** Basic when configured, so that a browser asks for it; otherwise Bearer. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String challenge = access.basicConfigured()
                ? "Basic realm=\"" + AccessControl.REALM + "\", charset=\"UTF-8\""
                : "Bearer realm=\"" + AccessControl.REALM + "\"";
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, UsernamePasswordAuthenticationRequest.class);
    }
}

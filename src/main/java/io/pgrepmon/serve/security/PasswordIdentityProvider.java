package io.pgrepmon.serve.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks basic-authentication credentials against the configured bcrypt hash, on a worker thread. */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final AccessControl access;

    public PasswordIdentityProvider(AccessControl access) {
        this.access = access;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            if (!access.passwordMatches(request.getUsername(), request.getPassword().getPassword())) {
                throw new AuthenticationFailedException("invalid user name or password");
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(request.getUsername()))
                    .addRole("viewer").build();
        });
    }
}

package io.pgrepmon.serve.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The policy of {@code /api/*} (REST and the WebSocket upgrade): an authenticated identity when access control is
 * on, anyone when it is off. Named in {@code quarkus.http.auth.permission}; an anonymous caller is denied, and
 * Quarkus then answers 401 with the mechanism's challenge.
 */
@ApplicationScoped
public class ApiAccessPolicy implements HttpSecurityPolicy {

    private final AccessControl access;

    public ApiAccessPolicy(AccessControl access) {
        this.access = access;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext requestContext) {
        if (!access.enabled()) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(id -> id == null || id.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return "monitor-api";
    }
}

package io.pgrepmon.serve.security;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses a WebSocket handshake from a foreign Origin with 403, before the connection is upgraded. */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private final AccessControl access;

    public OriginCheck(AccessControl access) {
        this.access = access;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        return access.originAllowed(request.getHeader("Origin"), request.getHeader("Host"))
                ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(403);
    }
}

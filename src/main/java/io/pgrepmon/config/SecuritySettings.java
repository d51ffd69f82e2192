package io.pgrepmon.config;

import java.util.List;

/**
 * Access control after validation.
 *
 * @param enabled        whether API and WebSocket require credentials
 * @param why            why it is on or off, for the start-up log
 * @param tokenSha256    SHA-256 of the API token, or null when token authentication is off
 * @param basicUser      basic authentication user, or null when basic authentication is off
 * @param basicHash      the user's bcrypt hash
 * @param allowedOrigins Origins besides the page's own allowed to open the WebSocket
 */
public record SecuritySettings(boolean enabled, String why, byte[] tokenSha256, String basicUser, String basicHash,
                               List<String> allowedOrigins) {

    public SecuritySettings {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static SecuritySettings off(String why) {
        return new SecuritySettings(false, why, null, null, null, List.of());
    }

    /** Leaves the hashes out, so that no log line built from this carries them. */
    @Override
    public String toString() {
        return "SecuritySettings[enabled=" + enabled + ", token=" + (tokenSha256 != null) + ", basicUser=" + basicUser
                + ", allowedOrigins=" + allowedOrigins + "]";
    }
}

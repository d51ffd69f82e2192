package io.pgrepmon.config;

/** A validated heartbeat: {@code source} writes {@code schema.pgrepmon_heartbeat}, {@code target} reads it. */
public record HeartbeatSettings(String source, String target, String schema) {
}

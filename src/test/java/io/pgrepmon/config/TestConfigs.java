package io.pgrepmon.config;

import io.smallrye.config.SmallRyeConfigBuilder;

/** The configuration as the application maps it, without starting the application: for the config tests. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** ${...} expansion, the MonitorConfig mapping, and Quarkus's converter, which gives durations their "5s" form. */
    static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(MonitorConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter());
    }
}

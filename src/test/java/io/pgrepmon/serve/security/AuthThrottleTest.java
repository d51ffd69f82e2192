package io.pgrepmon.serve.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The delays after failed authentications, per client address. */
class AuthThrottleTest {

    @Test
    void freeThenDoublingUpToTheCapPerAddressAndForgottenOnSuccessOrAfterTheWindow() {
        AuthThrottle throttle = new AuthThrottle();
        long t = 1_000_000;
        long[] delays = new long[12];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = throttle.failed("10.0.0.1", t + i);
        }
        assertThat(delays).containsExactly(0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000);
        assertThat(throttle.failed("10.0.0.2", t)).as("another address has its own count").isZero();

        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failed("10.0.0.1", t + 20)).as("a success clears the count").isZero();

        assertThat(throttle.failed("10.0.0.2", t + 1)).isZero();
        assertThat(throttle.failed("10.0.0.2", t + 2)).isZero();
        assertThat(throttle.failed("10.0.0.2", t + 3)).isEqualTo(250);
        assertThat(throttle.failed("10.0.0.2", t + AuthThrottle.WINDOW_MILLIS + 10)).as("a new window").isZero();
    }

    @Test
    void manyAddressesDoNotGrowTheTableBeyondItsBoundOnceTheirWindowHasPassed() {
        AuthThrottle throttle = new AuthThrottle();
        for (int i = 0; i <= AuthThrottle.TRACKED; i++) {
            throttle.failed("10.1." + (i / 256) + "." + (i % 256), 0);
        }
        throttle.failed("192.0.2.1", AuthThrottle.WINDOW_MILLIS + 1);
        assertThat(throttle.tracked()).isEqualTo(1);
    }
}

package io.pgrepmon.serve.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits after failed authentications, per client. */
class AuthThrottleTest {

    @Test
    void freeThenDoublingUpToTheCapPerClientAndForgottenOnSuccessOrAfterTheWindow() {
        AuthThrottle throttle = new AuthThrottle();
        long t = 1_000_000;
        long[] next = new long[10];
        for (int i = 0; i < next.length; i++) {
            assertThat(throttle.admit("10.0.0.1", t)).as("attempt %d waits what the failures before it set", i + 1)
                    .isEqualTo(i == 0 ? 0 : next[i - 1]);
            next[i] = throttle.failed("10.0.0.1", t);
            t += 10_000; // each attempt long after the one before: only the failures count
        }
        assertThat(next).containsExactly(0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000);
        assertThat(throttle.admit("10.0.0.2", t)).as("another client has its own count").isZero();

        throttle.succeeded("10.0.0.1");
        assertThat(throttle.admit("10.0.0.1", t)).as("a success clears the count").isZero();

        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.2", t);
        }
        assertThat(throttle.admit("10.0.0.2", t)).isEqualTo(250);
        assertThat(throttle.admit("10.0.0.2", t + AuthThrottle.WINDOW_MILLIS + 1)).as("a new window").isZero();
    }

    @Test
    void attemptsSentTogetherWaitOneAfterTheOther() {
        AuthThrottle throttle = new AuthThrottle();
        for (int i = 0; i < 4; i++) {
            throttle.failed("192.0.2.7", 0);
        }
        // Five guesses at once: each waits 500 ms after the one before, so they gain nothing by being parallel.
        assertThat(new long[] {throttle.admit("192.0.2.7", 0), throttle.admit("192.0.2.7", 0), throttle.admit("192.0.2.7", 0),
                throttle.admit("192.0.2.7", 0), throttle.admit("192.0.2.7", 0)}).containsExactly(500, 1000, 1500, 2000, 2500);
    }

    @Test
    void anIpv6ClientIsItsSlash64AndTheTableStaysBounded() {
        AuthThrottle throttle = new AuthThrottle();
        assertThat(AuthThrottle.client("2001:db8:1:2:aaaa::1")).isEqualTo(AuthThrottle.client("2001:db8:1:2:bbbb::2"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(AuthThrottle.client("10.1.2.3")).isEqualTo("10.1.2.3");
        for (int i = 0; i < 4; i++) {
            throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1), 0);
        }
        assertThat(throttle.admit("2001:db8:1:2::ffff", 0)).as("addresses of one /64 share a count").isEqualTo(500);
        for (int i = 0; i <= AuthThrottle.TRACKED + 5; i++) {
            throttle.failed("10.1." + (i / 256) + "." + (i % 256), 0);
        }
        assertThat(throttle.tracked()).isEqualTo(AuthThrottle.TRACKED);
    }
}

package io.pgrepmon.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate and the time left the dashboard shows while the content comparison runs. */
class ContentProgressTest {

    static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void theRateAndTimeLeftComeFromTheRowsHashedSoFar() {
        ContentProgress running = ContentProgress.of(true, START, START.plusSeconds(10), 1, 4, 20, 50_000, 200_000);
        assertThat(running.rowsPerSecond()).isEqualTo(5000.0);
        assertThat(running.secondsLeft()).isEqualTo(30);
        ContentProgress justStarted = ContentProgress.of(true, START, START, 0, 4, 0, 0, 200_000);
        assertThat(justStarted.rowsPerSecond()).as("no rate before the first range").isNull();
        assertThat(justStarted.secondsLeft()).isNull();
        ContentProgress done = ContentProgress.of(false, START, START.plusSeconds(40), 4, 4, 80, 200_000, 200_000);
        assertThat(done.secondsLeft()).as("nothing left once done").isNull();
        assertThat(done.rowsPerSecond()).isEqualTo(5000.0);
    }
}

package io.pgrepmon.assemble;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JMH benchmarks (scripts/bench-jmh.sh) at a smoke size, in this JVM, so that they keep compiling and running:
 * every benchmark answers at 10 databases. Their times are not judged here.
 */
class FleetPipelineBenchmarkTest {

    @Test
    void everyBenchmarkRuns() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(FleetPipelineBenchmark.class.getSimpleName())
                .param("databases", "10")
                .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true).build()).run();
        assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
                .containsExactlyInAnyOrder("assemble", "evaluateCutover", "serializeWhole", "serializePair", "scrapeMetrics");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }
}

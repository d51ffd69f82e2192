package io.pgrepmon.serve.metrics;

import io.pgrepmon.assemble.FleetPipelineBenchmark;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series count docs/operations.md states for 100 databases (50 pairs, each a source with a slot and a target
 * with a subscription, as the fleet benchmark builds them): the count Prometheus pays for, kept true by this test.
 */
class SeriesCountTest {

    @Test
    void theDocsStateTheSeriesCountOf100Databases() throws Exception {
        int series = MetricFamilies.of(FleetPipelineBenchmark.fleet(100), false, Map.of()).size();
        int perTable = MetricFamilies.of(FleetPipelineBenchmark.fleet(100), true, Map.of()).size();
        assertThat(series).isBetween(1000, 20000);
        String docs = Files.readString(Path.of("docs/operations.md"));
        assertThat(docs).as("%d series, %d with per-table", series, perTable).contains("100 databases (50 pairs) make " + String.format("%,d", series) + " `pgrepmon_*` series")
                .contains(String.format("%,d", perTable - series) + " more with `per-table`");
    }
}

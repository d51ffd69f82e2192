package io.pgrepmon.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM image runs with the options the benchmark measured: those of config/jvm.options. */
class JvmOptionsTest {

    @Test
    void theJvmImageSetsEveryShippedOption() throws IOException {
        List<String> options = Files.readAllLines(Path.of("config/jvm.options")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(options).contains("-XX:+UseSerialGC").anyMatch(o -> o.startsWith("-Xmx"));
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        String appended = dockerfile.lines().filter(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow();
        assertThat(List.of(appended.replaceAll("^ENV JAVA_OPTS_APPEND=\"|\"$", "").split(" ")))
                .containsAll(options);
        assertThat(dockerfile).contains("ENV MALLOC_ARENA_MAX=2");
    }
}

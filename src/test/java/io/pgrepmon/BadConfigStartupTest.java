package io.pgrepmon;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The service refuses to start on a bad configuration file, with a message that names the field. */
@QuarkusMainTest
class BadConfigStartupTest {

    @Test
    void duplicateNameAndNegativeIntervalStopStartUp(QuarkusMainLauncher launcher) throws Exception {
        Path file = Files.createTempFile("bad-config", ".yaml");
        Files.writeString(file, """
                monitor:
                  refresh-interval: -5s
                  databases:
                    - name: main
                      host: 127.0.0.1
                      user: monitor
                      password: do-not-echo-me
                      dbname: app
                      role: source
                    - name: main
                      host: 127.0.0.1
                      user: monitor
                      dbname: app
                      role: target
                """);
        LaunchResult result = launcher.launch("--config", file.toString());
        assertThat(result.exitCode()).isNotZero();
        String output = result.getOutput() + result.getErrorOutput();
        assertThat(output).contains("monitor.refresh-interval is -5s: it must be positive")
                .contains("monitor.databases[1].name 'main' is used by another database")
                .doesNotContain("do-not-echo-me");
    }

    @Test
    void unknownRoleStopsStartUpNamingTheField(QuarkusMainLauncher launcher) throws Exception {
        Path file = Files.createTempFile("bad-role", ".yaml");
        Files.writeString(file, """
                monitor:
                  databases:
                    - name: main
                      host: 127.0.0.1
                      user: monitor
                      dbname: app
                      role: publisher
                """);
        LaunchResult result = launcher.launch("--config", file.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.getOutput() + result.getErrorOutput()).contains("monitor.databases[0].role").contains("publisher");
    }
}

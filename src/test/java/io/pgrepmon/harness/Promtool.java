package io.pgrepmon.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** promtool, from Debian's prometheus package (.ci/run installs it); a test fails, not skips, without it. */
public final class Promtool {

    public record Result(int exit, String output) {
    }

    private Promtool() {
    }

    /** Runs {@code promtool ARGS...} with {@code stdin} (or none) and returns its exit status and output. */
    public static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool not found: install Debian's prometheus package (.ci/run does)", e);
        }
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " still running after 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}

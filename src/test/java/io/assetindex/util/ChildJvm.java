package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.JarRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a JVM of its own, with the serial collector, and returns its last line's words. */
final class ChildJvm {
    private ChildJvm() {}

    static String[] run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JarRunner.java(), "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
    }
}

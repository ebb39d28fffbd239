package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.embed.LocalEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that ends while the embedding model loads in the background (a short scan that gave
 * up on its only files, a watcher stopped right after its start) ends cleanly. Before {@link
 * Main#exit} waited for the load, an exit in the middle of ONNX Runtime's session creation crashed
 * in native code (exit code 134 and an hs_err file) in about half of the runs here.
 */
class ProcessExitTest {
    @TempDir
    Path cache;

    /** Starts the model's load, waits {@code args[0]} ms, ends as {@code asset-index} does. */
    public static final class ExitWhileTheModelLoads {
        public static void main(String[] args) throws InterruptedException {
            new LocalEmbedder(Path.of(args[1])).prepare();
            Thread.sleep(Long.parseLong(args[0]));
            Main.exit(0);
        }
    }

    @Test
    void aProcessEndingAtAnyPointOfTheModelsLoadExitsCleanly() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> failures = new ArrayList<>();
        // From before the native library is read to after the session exists, on a slow machine.
        for (long delayMs = 0; delayMs <= 1400; delayMs += 200) {
            Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), ExitWhileTheModelLoads.class.getName(),
                    String.valueOf(delayMs), cache.toString()).directory(cache.toFile()).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (child.exitValue() != 0) {
                failures.add("exit " + child.exitValue() + " after " + delayMs + " ms: " + output.lines().limit(12).toList());
            }
        }
        assertThat(failures).isEmpty();
    }
}

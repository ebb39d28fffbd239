package io.assetindex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar as a user would: {@code java -jar target/asset-index.jar ...} in a
 * working folder, with the Java of the test run (or {@code -Dassetindex.java=/path/to/java}).
 */
public final class JarRunner {
    private static final long TIMEOUT_SECONDS = 120;

    public record Result(int exitCode, String out, String err) {}

    private JarRunner() {}

    public static Path jar() {
        Path jar = Path.of(System.getProperty("assetindex.jar", "target/asset-index.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run the tests with 'mvn verify', which builds it first");
        }
        return jar.toAbsolutePath();
    }

    public static String java() {
        return System.getProperty("assetindex.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The command that runs the jar, before its arguments. With the JIT's first tier only: a
     * command or a watcher of a test lives for seconds and spends more CPU on the optimizing
     * compiler than on its work (a third less CPU for a short command, a quarter for the watcher's
     * tests), which on 2 cores is what the whole suite waits on. What the jar does is the same.
     */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    public static Result run(Path workingDir, Map<String, String> env, String... args) {
        List<String> command = command(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ASSET_INDEX_"));
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile("asset-index-out", ".txt");
            Path err = Files.createTempFile("asset-index-err", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("asset-index " + String.join(" ", args) + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result run(Path workingDir, String... args) {
        return run(workingDir, Map.of(), args);
    }
}

package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.JarRunner;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (packaging/asset-index) as people run it: a query command's first run writes a
 * class-data archive into the cache folder and prints exactly what later runs, which use it,
 * print; JVM messages never reach stdout; a removed archive is made again; ASSET_INDEX_NO_CDS=1
 * turns it off.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("packaging/asset-index").toAbsolutePath();

    @TempDir
    Path workspace;

    /** The cache home (XDG_CACHE_HOME), apart from the workspace. */
    private Path cache;

    /** ASSET_INDEX_JAVA_OPTS for the next launches, or null. */
    private String extraJavaOptions;

    /** JAVA_HOME for the next launches: the tests' JVM unless set. */
    private Path javaHome = Path.of(JarRunner.java()).getParent().getParent();

    private record Run(int exitCode, String out, String err) {}

    private Run launch(String... args) throws IOException, InterruptedException {
        if (cache == null) {
            cache = Files.createDirectories(workspace.resolve("cache-home"));
        }
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args))
                .toList()).directory(workspace.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ASSET_INDEX_"));
        builder.environment().put("ASSET_INDEX_JAR", JarRunner.jar().toString());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        if (extraJavaOptions != null) {
            builder.environment().put("ASSET_INDEX_JAVA_OPTS", extraJavaOptions);
        }
        Path out = Files.createTempFile(workspace, "out", ".txt");
        Path err = Files.createTempFile(workspace, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("asset-index/cds"))) {
            return files.toList();
        }
    }

    @Test
    void theServicesMemorySettingsDrawNoWarningFromTheJvm() throws Exception {
        // The launcher gives watch and serve their own heap settings; a JVM that finds them
        // inconsistent says so on stdout, before any logging option applies, on every start.
        for (String command : List.of("watch", "serve")) {
            Run help = launch(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: asset-index " + command);
            assertThat(help.err()).as(command).isEmpty();
        }
    }

    @Test
    void theServicesGiveFreedNativeMemoryBackWhereTheJvmCanAndStartWhereItCannot() throws Exception {
        extraJavaOptions = "-XX:+PrintFlagsFinal"; // the flags on stdout, before the help
        Run serve = launch("serve", "--help");
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.out()).containsPattern("TrimNativeHeapInterval += 5000 ");

        // A JVM older than 17.0.9 refuses the option it does not know: the launcher leaves it out.
        Path older = Files.createDirectories(workspace.resolve("older-jdk/bin"));
        Path java = older.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                for arg in "$@"; do
                    case $arg in
                        -XX:TrimNativeHeapInterval=*)
                            echo "Unrecognized VM option '${arg#-XX:}'" >&2
                            exit 1
                            ;;
                    esac
                done
                exec "%s" "$@"
                """.formatted(JarRunner.java()));
        assertThat(java.toFile().setExecutable(true)).isTrue();
        javaHome = older.getParent();
        Run old = launch("watch", "--help");
        assertThat(old.exitCode()).as(old.err()).isZero();
        assertThat(old.out()).containsPattern("TrimNativeHeapInterval += 0 ").contains("Usage: asset-index watch");
    }

    @Test
    void theFirstQueryWritesAClassArchiveThatLaterQueriesUse() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/beach.jpg"), 64, 48, 1);
        assertThat(launch("scan").exitCode()).isZero();
        assertThat(cache.resolve("asset-index/cds")).doesNotExist();

        Run first = launch("search", "beach", "--json");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        Json.read(first.out()); // nothing but the document on stdout
        List<Path> archives = archives();
        assertThat(archives).hasSize(1);
        assertThat(archives.get(0).getFileName().toString()).matches("cds-\\d+\\.jsa");

        Run second = launch("search", "beach", "--json");
        assertThat(second.exitCode()).isZero();
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(archives()).isEqualTo(archives);

        Files.delete(archives.get(0));
        // Help loads few classes: it leaves no archive for the next run to use.
        assertThat(launch("status", "--help").exitCode()).isZero();
        assertThat(launch("help", "list").exitCode()).isZero();
        assertThat(launch("--workspace", workspace.toString(), "help", "status").exitCode()).isZero();
        assertThat(archives()).isEmpty();
        Run again = launch("status", "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(archives()).hasSize(1).allMatch(path -> path.getFileName().toString().endsWith(".jsa"));

        Run off = launchWithoutCds();
        assertThat(off.exitCode()).as(off.out()).isZero();
    }

    @Test
    void aQueryCommandTakesPicocliFromTheClassArchiveToo() throws Exception {
        // picocli's jar holds Java 5 class files, which no class-data archive can keep: the build
        // compiles it from its sources instead (pom.xml), so it starts from the archive like our own
        // classes, about 60 ms of every short command.
        assertThat(launch("status").exitCode()).isZero();
        assertThat(archives()).hasSize(1);
        Path log = workspace.resolve("class-load.log");
        extraJavaOptions = "-Xlog:class+load=info:file=" + log;
        Run status = launch("status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        List<String> picocli = Files.readAllLines(log).stream().filter(line -> line.contains(" picocli.")).toList();
        assertThat(picocli).hasSizeGreaterThan(50).allMatch(line -> line.contains("source: shared objects file"));
    }

    private Run launchWithoutCds() throws IOException, InterruptedException {
        // (the workspace's watch path is raw_assets: the cache folder beside it is not scanned)
        Files.delete(archives().get(0));
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "list", "--json").directory(workspace.toFile());
        builder.environment().put("ASSET_INDEX_JAR", JarRunner.jar().toString());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("ASSET_INDEX_NO_CDS", "1");
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(archives()).isEmpty();
        return new Run(process.exitValue(), out, "");
    }
}

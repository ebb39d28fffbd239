package io.assetindex.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two logging set-ups in one JVM, each with its own logback context, hold the log locks as two
 * processes would (the JVM refuses a second lock on a file it holds, as the OS refuses another
 * process); {@code LogFilesJarIT} does the same with real processes.
 */
class LogFilesTest {
    private static final long MAX_FILE_BYTES = 10 * 1024 * 1024;

    @TempDir
    Path dir;

    private final LoggerContext first = context();
    private final LoggerContext second = context();

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    @AfterEach
    void stopContexts() {
        first.stop();
        second.stop();
    }

    private Path logs() {
        return dir.resolve(".asset_index/logs");
    }

    private LogFiles open(LoggerContext context, String name) {
        return LogFiles.open(context, logs(), name, MAX_FILE_BYTES, 5, false);
    }

    private List<String> lines(String file) throws IOException {
        Path path = logs().resolve(file);
        return Files.exists(path) ? Files.readAllLines(path) : List.of();
    }

    @Test
    void onlyOneProcessAtATimeWritesAPairOfLogFiles() throws IOException {
        try (LogFiles scan = open(first, "scan"); LogFiles secondScan = open(second, "scan")) {
            assertThat(scan.writesFiles()).isTrue();
            assertThat(scan.notice()).isEmpty();
            assertThat(secondScan.writesFiles()).isFalse();
            assertThat(secondScan.notice()).hasValue("another asset-index scan (pid " + ProcessHandle.current().pid()
                    + ") is writing " + logs().resolve("scan.out.log") + "; this one logs its warnings and errors"
                    + " to stderr only");

            first.getLogger("watcher").info("[scan] from the first");
            second.getLogger("watcher").warn("[scan] from the second");

            assertThat(lines("scan.out.log")).singleElement().asString().endsWith("INFO  [scan] from the first");
            assertThat(lines("scan.err.log")).isEmpty();
        }
        first.getLogger("watcher").warn("[scan] after closing");
        assertThat(lines("scan.out.log")).as("nothing reaches the files once they are released").hasSize(1);

        try (LogFiles next = open(second, "scan")) {
            assertThat(next.writesFiles()).as("free again").isTrue();
            second.getLogger("watcher").warn("[scan] the next one");
        }
        assertThat(lines("scan.out.log")).hasSize(2).last().asString().endsWith("WARN  [scan] the next one");
        assertThat(lines("scan.err.log")).singleElement().asString().endsWith("WARN  [scan] the next one");
    }

    @Test
    void theWatcherAndACommandWriteTheirOwnFiles() throws IOException {
        try (LogFiles watcher = LogFiles.open(first, logs(), "watcher", MAX_FILE_BYTES, 5, true);
                LogFiles scan = open(second, "scan")) {
            assertThat(watcher.writesFiles()).isTrue();
            assertThat(scan.writesFiles()).isTrue();
            first.getLogger("watcher").info("[watcher] starting…");
            second.getLogger("watcher").info("[scan] starting");
        }
        assertThat(lines("watcher.out.log")).singleElement().asString().endsWith("INFO  [watcher] starting…");
        assertThat(lines("scan.out.log")).singleElement().asString().endsWith("INFO  [scan] starting");
    }

    @Test
    void aLogFolderThatCannotBeCreatedLeavesLoggingOnTheConsoleAndSaysWhy() throws IOException {
        Files.createDirectories(logs().getParent());
        Files.writeString(logs(), "a file where the folder should be");

        try (LogFiles scan = open(first, "scan")) {
            assertThat(scan.writesFiles()).isFalse();
            assertThat(scan.notice()).hasValueSatisfying(notice -> assertThat(notice)
                    .startsWith("cannot write logs in " + logs() + " (")
                    .endsWith("; this one logs its warnings and errors to stderr only"));
        }
    }

    @Test
    void aStackTraceInTheErrorLogCannotForgeALine() throws IOException {
        try (LogFiles watcher = open(first, "watcher")) {
            first.getLogger("probe").error("[probe] analyzer crashed", new IllegalStateException(
                    "cannot read raw_assets/a\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg"));
        }
        List<String> lines = lines("watcher.err.log");
        assertThat(lines).hasSizeGreaterThan(2).noneMatch(line -> line.startsWith("2026-01-01"));
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: cannot read raw_assets/a"
                + "\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg");
    }
}

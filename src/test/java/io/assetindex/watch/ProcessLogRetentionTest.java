package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.store.IndexStore;
import io.assetindex.store.LogEntry;
import io.assetindex.store.RunKind;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ProcessLogRetentionTest {
    @TempDir
    Path folder;

    private static DatabaseOutage outage(TestClock clock) {
        return new DatabaseOutage(LoggerFactory.getLogger("watcher"), clock, message -> { });
    }

    @Test
    void rowsAndRunsOlderThanTheRetentionAreDeletedAndNewerOnesKept() {
        Path database = folder.resolve("index.db");
        TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
        try (IndexStore store = IndexStore.open(database, 2, clock)) {
            for (int daysAgo : new int[] {400, 200, 181, 179, 1}) {
                store.recordFailure(LogEntry.failed("raw_assets/x" + daysAgo + ".jpg", null, "probe", "bad", 1,
                        clock.instant().minus(Duration.ofDays(daysAgo))), List.of(), null);
            }
            TestClock past = new TestClock(clock.instant().minus(Duration.ofDays(181)));
            try (IndexStore then = IndexStore.open(database, 2, past)) {
                then.runStarted(RunKind.SCAN, List.of("raw_assets"));
            }
            long kept = store.runStarted(RunKind.SCAN, List.of("raw_assets"));

            new ProcessLogRetention(store, 180, outage(clock), clock).run();

            assertThat(SqliteFile.rows(database, "SELECT file_path FROM process_log ORDER BY id"))
                    .extracting(row -> row.get("file_path")).containsExactly("raw_assets/x179.jpg", "raw_assets/x1.jpg");
            assertThat(SqliteFile.rows(database, "SELECT id FROM scan_history")).extracting(row -> row.get("id"))
                    .containsExactly((int) kept);
            new ProcessLogRetention(store, 0, outage(clock), clock).run();
            assertThat(SqliteFile.count(database, "SELECT count(*) FROM process_log")).as("0 keeps every row").isEqualTo(2);
        }
    }
}

package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan history in the store: how a run ends in each way, and how the table stays bounded. */
class RunHistoryTest {
    private static final RunCounts COUNTS = new RunCounts(10, 2, 1, 6, 1, 3, 1, 2, 4096, 0);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private Path file;
    private IndexStore store;

    @BeforeEach
    void open() {
        file = dir.resolve("index.db");
        store = IndexStore.open(file, 2, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private record Counted(RunCounts runCounts, String runNotes) implements RunResult {}

    private RecordedRun newest() {
        return new IndexReader(store.database()).runs(null, 1, 0).runs().get(0);
    }

    @Test
    void aRunIsRecordedWhenItStartsAndCompletedWithItsCountsWhenItEnds() {
        long id = store.runStarted(RunKind.SCAN, List.of("raw_assets", "jobs/ACME-042"));
        RecordedRun started = newest();
        assertThat(started.id()).isEqualTo(id);
        assertThat(started.finishedAt()).isNull();
        assertThat(started.outcome()).isNull();
        assertThat(started.counts()).isNull();
        assertThat(started.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(started.paths()).containsExactly("raw_assets", "jobs/ACME-042");

        clock.advance(Duration.ofSeconds(90));
        store.runFinished(id, COUNTS, RunOutcome.OK, null);
        store.runFinished(id, null, RunOutcome.FAILED, "too late");

        RecordedRun finished = newest();
        assertThat(finished.startedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(finished.finishedAt()).isEqualTo(Instant.parse("2026-11-26T10:01:30Z"));
        assertThat(finished.outcome()).as("a run ends once").isEqualTo(RunOutcome.OK);
        assertThat(finished.counts()).isEqualTo(COUNTS);
        assertThat(finished.notes()).isNull();
    }

    @Test
    void aRunWhoseThreadWasInterruptedEndsInterruptedAndTheThreadStaysInterrupted() {
        Counted counted = store.runInHistory(RunKind.RESCAN, List.of("raw_assets"), () -> {
            Thread.currentThread().interrupt();
            return new Counted(COUNTS, "watch path jobs is missing");
        });

        assertThat(Thread.interrupted()).isTrue();
        assertThat(counted.runCounts()).isEqualTo(COUNTS);
        assertThat(newest().outcome()).isEqualTo(RunOutcome.INTERRUPTED);
        assertThat(newest().counts()).isEqualTo(COUNTS);
        assertThat(newest().notes()).isEqualTo("watch path jobs is missing");
    }

    @Test
    void aRunThatThrowsEndsFailedWithTheErrorAndNoCounts() {
        assertThatThrownBy(() -> store.runInHistory(RunKind.VERIFY, List.of("raw_assets"), () -> {
            throw new StoreException("write to index database failed: disk I/O error");
        })).isInstanceOf(StoreException.class);

        assertThat(newest().outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(newest().notes()).isEqualTo("write to index database failed: disk I/O error");
        assertThat(newest().counts()).isNull();
        assertThat(newest().finishedAt()).isNotNull();
    }

    @Test
    void theNewestTenThousandRunsAreKept() {
        SqliteFile.execute(file, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)"
                + " INSERT INTO scan_history (kind, host, pid, process, paths_json, started_at)"
                + " SELECT 'rescan', 'h', 1, '1:1', '[]', '2026-11-01T00:00:00.000Z' FROM n");

        long id = store.runStarted(RunKind.SCAN, List.of());

        assertThat(SqliteFile.count(file, "SELECT count(*) FROM scan_history")).isEqualTo(10_000);
        assertThat(SqliteFile.count(file, "SELECT min(id) FROM scan_history")).isEqualTo(2);
        assertThat(new IndexReader(store.database()).runs(null, 10, 0).total()).isEqualTo(10_000);
        assertThat(newest().id()).isEqualTo(id);
    }

    @Test
    void runsThatStartedBeforeTheRetentionAreDeleted() {
        store.runStarted(RunKind.SCAN, List.of());
        clock.advance(Duration.ofDays(10));
        long kept = store.runStarted(RunKind.SCAN, List.of());

        assertThat(store.trimRunHistory(clock.instant().minus(Duration.ofDays(5)))).isEqualTo(1);

        assertThat(new IndexReader(store.database()).runs(null, 10, 0).runs()).extracting(RecordedRun::id)
                .containsExactly(kept);
    }
}

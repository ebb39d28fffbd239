package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IndexStore;
import io.assetindex.store.SearchFilter;
import io.assetindex.testing.LogCapture;
import io.assetindex.testing.TestClock;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The keyword index is merged into one segment while the watcher is idle, a step per transaction,
 * and finds the same assets afterwards; an index of few segments is left as it is.
 */
class KeywordIndexMergingTest {
    @TempDir
    Path folder;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));

    /**
     * An index of {@code assets} assets each recorded in a transaction of its own, with FTS5's own
     * merging turned off: one segment per transaction, as a long-running watcher's index has many.
     */
    private Path fragmented(String name, int assets) {
        Path file = folder.resolve(name);
        try (IndexDatabase database = IndexDatabase.open(file, 2, clock)) {
            database.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO assets_fts (assets_fts, rank) VALUES ('automerge', 0)");
                    s.execute("INSERT INTO assets_fts (assets_fts, rank) VALUES ('crisismerge', 200)");
                }
                return null;
            });
            addAssets(database, 1, assets);
        }
        return file;
    }

    /** Assets {@code from} to {@code to}, each recorded in a transaction of its own. */
    private void addAssets(IndexDatabase database, int from, int to) {
        for (int i = from; i <= to; i++) {
            int n = i;
            database.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO assets (id, file_name, file_path, source_root, media_type, size_bytes,"
                            + " mtime, summary, indexed_at) VALUES (printf('%064x', " + n + "), 'clip_" + n
                            + ".mp4', '/m/clip_" + n + ".mp4', 'footage', 'video', 1000, 0, '"
                            + (n % 3 == 0 ? "boats in a harbour" : "a lighthouse at dawn") + "', '"
                            + clock.instant() + "')");
                    s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes,"
                            + " mtime_ns, first_seen_at, last_seen_at) VALUES (printf('%064x', " + n + "), 'footage',"
                            + " 'clip_" + n + ".mp4', '/m/clip_" + n + ".mp4', 1000, 0, '" + clock.instant() + "', '"
                            + clock.instant() + "')");
                }
                return null;
            });
        }
    }

    private static DatabaseOutage outage(TestClock clock) {
        return new DatabaseOutage(LoggerFactory.getLogger("watcher"), clock, message -> { });
    }

    private static List<String> found(IndexStore store, String words) {
        return new IndexReader(store.database()).keywordSearch(words, SearchFilter.NONE, 100).stream()
                .map(IndexReader.KeywordHit::id).sorted().toList();
    }

    @Test
    void aManySegmentedIndexIsMergedStepByStepAndFindsTheSameAssets() {
        Path file = fragmented("index.db", 30);
        try (IndexStore store = IndexStore.open(file, 2, clock)) {
            assertThat(store.keywordIndexSegments()).isGreaterThanOrEqualTo(30);
            List<String> harbour = found(store, "harbour");
            List<String> lighthouse = found(store, "lighthouse AND dawn");
            assertThat(harbour).hasSize(10);
            assertThat(lighthouse).hasSize(20);

            int steps = 0;
            while (store.mergeKeywordIndex(1)) {
                steps++;
            }
            assertThat(steps).isPositive();
            assertThat(store.keywordIndexSegments()).isEqualTo(1);
            assertThat(store.mergeKeywordIndex(1)).as("nothing left to merge").isFalse();
            assertThat(found(store, "harbour")).isEqualTo(harbour);
            assertThat(found(store, "lighthouse AND dawn")).isEqualTo(lighthouse);
        }
    }

    @Test
    void anIndexThatCannotBeReadIsSaidOnceAndTriedAgainAtTheNextCount() {
        Path file = fragmented("index.db", KeywordIndexMerging.MOST_SEGMENTS + 4);
        IndexStore store = IndexStore.open(file, 2, clock);
        store.close();
        try (LogCapture log = new LogCapture("watcher")) {
            KeywordIndexMerging merging = new KeywordIndexMerging(store, outage(clock), clock);
            for (int tick = 0; tick < 5; tick++) {
                merging.tick(true);
            }
            assertThat(log.count("could not merge the keyword index's segments")).isEqualTo(1);
            clock.advance(KeywordIndexMerging.CHECK_EVERY);
            merging.tick(true);
            assertThat(log.count("could not merge the keyword index's segments")).isEqualTo(2);
        }
    }

    @Test
    void theWatcherMergesOnlyWhenIdleAndOnlyAnIndexOfManySegments() {
        Path file = fragmented("index.db", KeywordIndexMerging.MOST_SEGMENTS + 4);
        try (IndexStore store = IndexStore.open(file, 2, clock);
                LogCapture log = new LogCapture("watcher")) {
            KeywordIndexMerging merging = new KeywordIndexMerging(store, outage(clock), clock);
            int before = store.keywordIndexSegments();
            merging.tick(false);
            assertThat(store.keywordIndexSegments()).as("files wait to be indexed").isEqualTo(before);

            for (int tick = 0; tick < 50 && store.keywordIndexSegments() > 1; tick++) {
                merging.tick(true);
            }
            assertThat(store.keywordIndexSegments()).isEqualTo(1);
            assertThat(log.messages()).anyMatch(line -> line.contains("merging the keyword index's " + before
                    + " segments into one while idle"));
            merging.tick(true);
            assertThat(log.messages()).anyMatch(line -> line.contains("keyword index merged from " + before
                    + " segments into one"));

            // FTS5's own merging lets the count grow again; every merge rewrites the whole index, so the next waits a day.
            addAssets(store.database(), 100, 100 + KeywordIndexMerging.MOST_SEGMENTS + 4);
            int again = store.keywordIndexSegments();
            assertThat(again).isGreaterThan(KeywordIndexMerging.MOST_SEGMENTS);
            clock.advance(KeywordIndexMerging.CHECK_EVERY.multipliedBy(2));
            merging.tick(true);
            assertThat(store.keywordIndexSegments()).isEqualTo(again);
            clock.advance(KeywordIndexMerging.MERGE_EVERY);
            for (int tick = 0; tick < 50 && store.keywordIndexSegments() > 1; tick++) {
                merging.tick(true);
            }
            assertThat(store.keywordIndexSegments()).isEqualTo(1);
        }

        Path small = fragmented("few.db", KeywordIndexMerging.MOST_SEGMENTS - 2);
        try (IndexStore store = IndexStore.open(small, 2, clock)) {
            int before = store.keywordIndexSegments();
            assertThat(before).isGreaterThan(1).isLessThanOrEqualTo(KeywordIndexMerging.MOST_SEGMENTS);
            KeywordIndexMerging merging = new KeywordIndexMerging(store, outage(clock), clock);
            merging.tick(true);
            clock.advance(Duration.ofMinutes(1));
            merging.tick(true);
            assertThat(store.keywordIndexSegments()).as("few segments are left as they are").isEqualTo(before);
        }
    }
}

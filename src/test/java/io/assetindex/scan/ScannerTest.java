package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {
    @TempDir
    Path workspace;

    private Path raw() {
        return workspace.resolve("raw_assets");
    }

    private Path database() {
        return workspace.resolve(".asset_index/index.db");
    }

    private AppConfig config(String yaml) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), yaml);
        return ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
    }

    private ScanSummary scan(AppConfig config, List<Path> paths) {
        return scan(config, paths, ScanOptions.SCAN, ScanListener.NONE);
    }

    private ScanSummary scan(AppConfig config, List<Path> paths, ScanOptions options, ScanListener listener) {
        try (IndexStore store = IndexStore.open(database(), 4, Clock.systemUTC())) {
            return Indexing.create(config, store, Clock.systemUTC(), System::getenv).scanner()
                    .scan(ScanTargets.forPaths(config, paths), options, listener);
        }
    }

    private ScanSummary rescan(AppConfig config) {
        return scan(config, List.of(), ScanOptions.RESCAN, ScanListener.NONE);
    }

    private long logRows() {
        return SqliteFile.count(database(), "SELECT count(*) FROM process_log");
    }

    private ScanSummary scan(AppConfig config) {
        return scan(config, List.of());
    }

    private List<Object> livePaths() {
        return SqliteFile.rows(database(), "SELECT source_root || ':' || rel_path AS p FROM asset_paths"
                + " WHERE deleted_at IS NULL ORDER BY p").stream().map(r -> r.get("p")).toList();
    }

    @Test
    void indexesMediaOnceAndSkipsEverythingElse() throws IOException {
        TestMedia.jpeg(raw().resolve("a/photo.jpg"), 64, 48, 1);
        Files.copy(raw().resolve("a/photo.jpg"), Files.createDirectories(raw().resolve("b")).resolve("same.jpg"));
        TestMedia.fixture("clip.mp4", raw().resolve("b/clip.mp4"));
        TestMedia.wav(raw().resolve("tone.wav"), 0.2, 1);
        TestMedia.jpeg(raw().resolve(".hidden/secret.jpg"), 8, 8, 2);
        TestMedia.jpeg(raw().resolve(".dotfile.jpg"), 8, 8, 3);
        TestMedia.jpeg(raw().resolve("dl.jpg.part"), 8, 8, 4);
        TestMedia.jpeg(raw().resolve("proxies/p.jpg"), 8, 8, 5);
        TestMedia.write(raw().resolve("notes.txt"), "hello".getBytes());

        ScanSummary summary = scan(config("ignore: [proxies]\n"));

        assertThat(summary.seen()).isEqualTo(4);
        assertThat(summary.indexed()).isEqualTo(3);
        assertThat(summary.linked()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
        assertThat(livePaths()).containsExactly("raw_assets:a/photo.jpg", "raw_assets:b/clip.mp4",
                "raw_assets:b/same.jpg", "raw_assets:tone.wav");
    }

    @Test
    void rescanOfAnUnchangedTreeReadsNoFileAndLogsNothing() throws IOException {
        for (int i = 0; i < 20; i++) {
            TestMedia.jpeg(raw().resolve("d" + (i % 4) + "/p" + i + ".jpg"), 16, 16, i);
        }
        AppConfig config = config("{}");
        scan(config);
        long attempts = SqliteFile.count(database(), "SELECT count(*) FROM process_log");

        ScanSummary again = scan(config);

        assertThat(again.unchanged()).isEqualTo(20);
        assertThat(again.indexed() + again.linked() + again.skipped() + again.failed()).isZero();
        assertThat(again.bytesHashed()).isZero();
        assertThat(SqliteFile.count(database(), "SELECT count(*) FROM process_log")).isEqualTo(attempts);
    }

    @Test
    void deletedFileIsMarkedAndItsContentIsRecognisedWhenItComesBack() throws IOException {
        Path photo = TestMedia.jpeg(raw().resolve("photo.jpg"), 16, 16, 1);
        TestMedia.jpeg(raw().resolve("kept.jpg"), 16, 16, 2);
        byte[] bytes = Files.readAllBytes(photo);
        AppConfig config = config("{}");
        scan(config);
        Files.delete(photo);

        assertThat(scan(config).deleted()).isEqualTo(1);
        assertThat(livePaths()).containsExactly("raw_assets:kept.jpg");
        assertThat(SqliteFile.value(database(), "SELECT deleted_at FROM asset_paths WHERE rel_path = 'photo.jpg'"))
                .isNotNull();

        TestMedia.write(photo, bytes);
        ScanSummary back = scan(config);
        assertThat(back.linked()).isEqualTo(1);
        assertThat(back.indexed()).isZero();
        assertThat(livePaths()).containsExactly("raw_assets:kept.jpg", "raw_assets:photo.jpg");
    }

    @Test
    void movedFileKeepsItsAssetAndIsNotAnalysedAgain() throws IOException {
        Path photo = TestMedia.jpeg(raw().resolve("in/photo.jpg"), 16, 16, 1);
        AppConfig config = config("{}");
        scan(config);
        long analyses = SqliteFile.count(database(), "SELECT count(*) FROM analysis_cache");
        Files.move(photo, Files.createDirectories(raw().resolve("out")).resolve("renamed.jpg"));

        ScanSummary summary = scan(config);

        assertThat(summary.linked()).isEqualTo(1);
        assertThat(summary.deleted()).isEqualTo(1);
        assertThat(summary.indexed()).isZero();
        assertThat(SqliteFile.count(database(), "SELECT count(*) FROM analysis_cache")).isEqualTo(analyses);
        assertThat(livePaths()).containsExactly("raw_assets:out/renamed.jpg");
    }

    @Test
    void aRootFoundInAnotherFolderHasItsPathsFollowAndOneInPlaceIsOnlyRead() throws IOException {
        TestMedia.jpeg(raw().resolve("a/one.jpg"), 16, 16, 1);
        TestMedia.wav(raw().resolve("two.wav"), 0.2, 2);
        scan(config("{}"));
        Path mounted = workspace.resolve("mounted/raw_assets");

        try (IndexStore store = IndexStore.open(database(), 4, Clock.systemUTC())) {
            IndexStore.KnownPaths inPlace = store.knownFollowing("raw_assets", raw());
            assertThat(inPlace.moved()).isZero();
            assertThat(inPlace.paths()).containsOnlyKeys("a/one.jpg", "two.wav");

            IndexStore.KnownPaths followed = store.knownFollowing("raw_assets", mounted);
            assertThat(followed.moved()).isEqualTo(2);
            assertThat(followed.paths()).containsOnlyKeys("a/one.jpg", "two.wav");
            assertThat(store.knownFollowing("raw_assets", mounted).moved()).isZero();
        }
        List<Object> expected = List.of(mounted + "/a/one.jpg", mounted + "/two.wav");
        assertThat(SqliteFile.rows(database(), "SELECT abs_path FROM asset_paths ORDER BY 1").stream()
                .map(row -> row.get("abs_path")).toList()).isEqualTo(expected);
        assertThat(SqliteFile.rows(database(), "SELECT file_path FROM assets ORDER BY 1").stream()
                .map(row -> row.get("file_path")).toList()).isEqualTo(expected);
    }

    @Test
    void aRescanRefreshesLastSeenOnlyWhenItIsOlderThanTheResolution() throws IOException {
        TestMedia.jpeg(raw().resolve("a.jpg"), 16, 16, 1);
        TestMedia.jpeg(raw().resolve("b.jpg"), 16, 16, 2);
        AppConfig config = config("{}");
        scan(config);
        String recently = Timestamps.stored(Instant.now().minus(Duration.ofMinutes(10)));
        String longAgo = Timestamps.stored(Instant.now().minus(IndexStore.SEEN_RESOLUTION).minus(Duration.ofHours(1)));
        String deletedLongAgo = Timestamps.stored(Instant.now().minus(Duration.ofDays(3)));
        SqliteFile.execute(database(), "UPDATE asset_paths SET last_seen_at = ?", recently);
        SqliteFile.execute(database(), "INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes,"
                + " mtime_ns, first_seen_at, last_seen_at, deleted_at) SELECT asset_id, source_root, 'gone.jpg', abs_path,"
                + " size_bytes, mtime_ns, first_seen_at, ?, ? FROM asset_paths WHERE rel_path = 'a.jpg'",
                deletedLongAgo, deletedLongAgo);

        rescan(config); // every live path seen 10 minutes ago: nothing to refresh (the deleted one does not count)
        assertThat(SqliteFile.rows(database(), "SELECT last_seen_at FROM asset_paths WHERE deleted_at IS NULL")
                .stream().map(row -> row.get("last_seen_at")).toList()).containsOnly(recently);

        SqliteFile.execute(database(), "UPDATE asset_paths SET last_seen_at = ? WHERE rel_path = 'b.jpg'", longAgo);
        rescan(config); // one seen longer ago than the resolution: the live ones seen that long ago are refreshed
        assertThat(SqliteFile.value(database(), "SELECT last_seen_at FROM asset_paths WHERE rel_path = 'a.jpg'"))
                .isEqualTo(recently);
        assertThat((String) SqliteFile.value(database(), "SELECT last_seen_at FROM asset_paths WHERE rel_path = 'b.jpg'"))
                .isGreaterThan(recently);
        assertThat(SqliteFile.value(database(), "SELECT last_seen_at FROM asset_paths WHERE rel_path = 'gone.jpg'"))
                .isEqualTo(deletedLongAgo);
    }

    @Test
    void missingRootIsReportedAndItsPathsAreKept() throws IOException {
        TestMedia.jpeg(raw().resolve("photo.jpg"), 16, 16, 1);
        AppConfig config = config("{}");
        scan(config);
        Files.move(raw(), workspace.resolve("unmounted"));

        ScanSummary summary = scan(config);

        assertThat(summary.missingRoots()).containsExactly("raw_assets");
        assertThat(summary.deleted()).isZero();
        assertThat(livePaths()).containsExactly("raw_assets:photo.jpg");
    }

    @Test
    void nestedJobsRootOwnsItsFilesAndGivesTheirJobId() throws IOException {
        TestMedia.jpeg(raw().resolve("pool.jpg"), 16, 16, 1);
        TestMedia.jpeg(raw().resolve("jobs/ACME-7/shot.jpg"), 16, 16, 2);
        AppConfig config = config("watch_paths: [raw_assets, raw_assets/jobs]\njobs_roots: [raw_assets/jobs]\n");

        ScanSummary summary = scan(config);

        assertThat(summary.seen()).isEqualTo(2);
        assertThat(livePaths()).containsExactly("raw_assets/jobs:ACME-7/shot.jpg", "raw_assets:pool.jpg");
        assertThat(SqliteFile.value(database(), "SELECT job_id FROM assets WHERE file_name = 'shot.jpg'"))
                .isEqualTo("ACME-7");
    }

    @Test
    void workspaceAsRootNeverIndexesTheIndexFolder() throws IOException {
        TestMedia.jpeg(workspace.resolve("photo.jpg"), 16, 16, 1);
        TestMedia.jpeg(workspace.resolve(".asset_index/thumbs/t.jpg"), 16, 16, 2);

        scan(config("watch_paths: [.]\n"));

        assertThat(livePaths()).containsExactly(".:photo.jpg");
    }

    @Test
    void symbolicLinksAreNotFollowedOutOfTheRoot() throws IOException {
        Path outside = TestMedia.jpeg(workspace.resolve("elsewhere/secret.jpg"), 16, 16, 1);
        Files.createDirectories(raw());
        Files.createSymbolicLink(raw().resolve("link.jpg"), outside);
        Files.createSymbolicLink(raw().resolve("linked-dir"), outside.getParent());
        TestMedia.jpeg(raw().resolve("real.jpg"), 16, 16, 2);

        scan(config("{}"));

        assertThat(livePaths()).containsExactly("raw_assets:real.jpg");
    }

    @Test
    void rootThatIsALinkIsScanned() throws IOException {
        Path disk = TestMedia.jpeg(workspace.resolve("disk/photo.jpg"), 16, 16, 1).getParent();
        Files.createSymbolicLink(raw(), disk);

        assertThat(scan(config("{}")).indexed()).isEqualTo(1);
        assertThat(SqliteFile.value(database(), "SELECT abs_path FROM asset_paths"))
                .isEqualTo(raw().resolve("photo.jpg").toString());
    }

    @Test
    void scanOfASubfolderLeavesTheRestOfTheRootAlone() throws IOException {
        TestMedia.jpeg(raw().resolve("a/one.jpg"), 16, 16, 1);
        Path two = TestMedia.jpeg(raw().resolve("b/two.jpg"), 16, 16, 2);
        AppConfig config = config("{}");
        scan(config);
        Files.delete(two);
        TestMedia.jpeg(raw().resolve("a/three.jpg"), 16, 16, 3);

        ScanSummary summary = scan(config, List.of(raw().resolve("a")));

        assertThat(summary.indexed()).isEqualTo(1);
        assertThat(summary.deleted()).isZero();
        assertThat(livePaths()).contains("raw_assets:a/three.jpg", "raw_assets:b/two.jpg");
    }

    @Test
    void badFilesAreFailuresAndTheScanGoesOn() throws IOException {
        TestMedia.jpeg(raw().resolve("good.jpg"), 16, 16, 1);
        TestMedia.randomBytes(raw().resolve("noise.jpg"), 1000, 1);
        TestMedia.write(raw().resolve("empty.mp4"), new byte[0]);
        TestMedia.randomBytes(raw().resolve("truncated.mp4"), 3, 2);
        TestMedia.fixture("clip.mp4", raw().resolve("line\nbreak.mp4"));

        ScanSummary summary = scan(config("{}"));

        assertThat(summary.indexed()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(3);
        assertThat(SqliteFile.rows(database(), "SELECT file_path, stage FROM process_log WHERE status = 'failed'"
                + " ORDER BY file_path")).extracting(r -> r.get("file_path") + "@" + r.get("stage"))
                .containsExactly("raw_assets/empty.mp4@stat", "raw_assets/noise.jpg@probe", "raw_assets/truncated.mp4@probe");
    }

    @Test
    void aWatchPathFoundEmptyKeepsItsFilesUntilTheUserConfirmsTheyAreGone() throws IOException {
        for (int i = 0; i < 3; i++) {
            TestMedia.jpeg(raw().resolve("shoot/photo" + i + ".jpg"), 16, 16, i);
        }
        AppConfig config = config("{}");
        scan(config);
        try (var files = Files.walk(raw())) {
            files.filter(Files::isRegularFile).forEach(file -> file.toFile().delete()); // the disk's mount point, empty
        }

        ScanSummary emptied = scan(config);

        assertThat(emptied.deleted()).isZero();
        assertThat(emptied.held()).containsExactly("raw_assets: the walk found no file where 3 are indexed");
        assertThat(livePaths()).hasSize(3);
        assertThat(SqliteFile.value(database(), "SELECT held_reason FROM volumes WHERE source_root = 'raw_assets'"))
                .isEqualTo("the walk found no file where 3 are indexed");

        ScanSummary confirmed = scan(config, List.of(), new ScanOptions(false, true, true), ScanListener.NONE);

        assertThat(confirmed.deleted()).isEqualTo(3);
        assertThat(livePaths()).isEmpty();
        assertThat(SqliteFile.value(database(), "SELECT held_reason FROM volumes WHERE source_root = 'raw_assets'"))
                .isNull();
    }

    @Test
    void aWalkThatFindsOnlyAFewOfManyIndexedFilesHoldsTheDeletionsAndReleasesThemWhenTheyAreBack() throws IOException {
        for (int i = 0; i < 20; i++) {
            TestMedia.jpeg(raw().resolve("photo" + i + ".jpg"), 16, 16, i);
        }
        AppConfig config = config("{}");
        scan(config);
        Path aside = Files.createDirectories(workspace.resolve("aside"));
        for (int i = 1; i < 20; i++) {
            Files.move(raw().resolve("photo" + i + ".jpg"), aside.resolve("photo" + i + ".jpg"));
        }

        assertThat(scan(config).held()).containsExactly("raw_assets: the walk found only 1 files where 20 are indexed");
        assertThat(livePaths()).hasSize(20);

        for (int i = 1; i < 20; i++) {
            Files.move(aside.resolve("photo" + i + ".jpg"), raw().resolve("photo" + i + ".jpg"));
        }
        ScanSummary back = scan(config);
        assertThat(back.held()).isEmpty();
        assertThat(back.unchanged()).isEqualTo(20);
        assertThat(SqliteFile.value(database(), "SELECT held_since FROM volumes")).isNull();
    }

    @Test
    void aFileIndexedByAnotherProcessWhileTheWalkWentOnIsNotTakenForDeleted() throws IOException {
        TestMedia.jpeg(raw().resolve("a/early.jpg"), 16, 16, 1);
        AppConfig config = config("{}");
        scan(config);
        Path late = raw().resolve("a/late.jpg");

        // After the walk and before the deletes: a watcher (another process) indexes a file the walk did not see.
        scan(config, List.of(), ScanOptions.SCAN, new ScanListener() {
            @Override
            public void planned(long found, long toProcess, long bytes) {
                TestMedia.jpeg(late, 16, 16, 2);
                scan(config, List.of(late));
            }
        });

        assertThat(livePaths()).containsExactly("raw_assets:a/early.jpg", "raw_assets:a/late.jpg");
    }

    @Test
    void aBrokenFileIsNotReadAgainByRescansWhileItStaysTheSame() throws IOException {
        Path broken = TestMedia.randomBytes(raw().resolve("broken.jpg"), 500, 1);
        AppConfig config = config("{}");
        assertThat(scan(config).failed()).isEqualTo(1);
        long rows = logRows();

        ScanSummary rescanned = rescan(config);

        assertThat(rescanned.failed()).isZero();
        assertThat(rescanned.failedBefore()).isEqualTo(1);
        assertThat(rescanned.line()).contains("1 failed before and unchanged");
        assertThat(logRows()).as("no new attempt, no new row").isEqualTo(rows);

        assertThat(scan(config).failed()).as("a scan people ask for tries it again").isEqualTo(1);
        TestMedia.randomBytes(broken, 600, 2);
        assertThat(rescan(config).failed()).as("changed: tried again").isEqualTo(1);
        TestMedia.jpeg(broken, 16, 16, 3);
        assertThat(rescan(config).indexed()).isEqualTo(1);
        assertThat(SqliteFile.count(database(), "SELECT count(*) FROM failed_files")).isZero();
    }

    @Test
    void theFailureOfAFileThatIsGoneIsForgotten() throws IOException {
        Path broken = TestMedia.randomBytes(raw().resolve("broken.jpg"), 500, 1);
        TestMedia.jpeg(raw().resolve("kept.jpg"), 16, 16, 1);
        AppConfig config = config("{}");
        scan(config);
        assertThat(SqliteFile.count(database(), "SELECT count(*) FROM failed_files")).isEqualTo(1);

        Files.delete(broken);
        rescan(config);

        assertThat(SqliteFile.count(database(), "SELECT count(*) FROM failed_files")).isZero();
    }
}

package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
        try (IndexStore store = IndexStore.open(database(), 4, Clock.systemUTC())) {
            return Indexing.create(config, store, Clock.systemUTC(), System::getenv).scanner()
                    .scan(ScanTargets.forPaths(config, paths), false, ScanListener.NONE);
        }
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
        byte[] bytes = Files.readAllBytes(photo);
        AppConfig config = config("{}");
        scan(config);
        Files.delete(photo);

        assertThat(scan(config).deleted()).isEqualTo(1);
        assertThat(livePaths()).isEmpty();
        assertThat(SqliteFile.value(database(), "SELECT deleted_at FROM asset_paths")).isNotNull();

        TestMedia.write(photo, bytes);
        ScanSummary back = scan(config);
        assertThat(back.linked()).isEqualTo(1);
        assertThat(back.indexed()).isZero();
        assertThat(livePaths()).containsExactly("raw_assets:photo.jpg");
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
}

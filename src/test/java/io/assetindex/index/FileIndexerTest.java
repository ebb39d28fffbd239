package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.assetindex.MediaType;
import io.assetindex.config.MediaSettings;
import io.assetindex.config.WatchRoot;
import io.assetindex.media.MediaTools;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIndexerTest {
    @TempDir
    Path workspace;

    private Path database;
    private IndexStore store;
    private WatchRoot root;

    @BeforeEach
    void openStore() throws IOException {
        database = workspace.resolve(".asset_index/index.db");
        store = IndexStore.open(database, 3, Clock.systemUTC());
        root = new WatchRoot("raw_assets", Files.createDirectories(workspace.resolve("raw_assets")), false);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private final CountingAnalyzer probe = new CountingAnalyzer(new ProbeAnalyzer(new MediaTools(
            new MediaSettings(null, null, false, 0, 85), Path.of("target", "javacpp-cache").toAbsolutePath())));

    private FileIndexer indexer(Hasher hasher) {
        return new FileIndexer(store, new AnalyzerChain(List.of(probe)), hasher, Clock.systemUTC());
    }

    private FileIndexer indexer() {
        return indexer(new Sha256Hasher());
    }

    private FileCandidate candidate(WatchRoot in, Path file, MediaType type) throws IOException {
        return new FileCandidate(in, file, in.relativeName(file), type, Files.size(file),
                Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
    }

    private FileCandidate candidate(Path file, MediaType type) throws IOException {
        return candidate(root, file, type);
    }

    private List<Map<String, Object>> log() {
        return SqliteFile.rows(database, "SELECT * FROM process_log ORDER BY id");
    }

    @Test
    void indexesNewContentWithItsFactsPathAttemptAndCachedAnalysis() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("trip/beach.jpg"), 320, 200, 1);
        FileOutcome outcome = indexer().index(candidate(photo, MediaType.IMAGE), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.INDEXED);
        assertThat(outcome.displayPath()).isEqualTo("raw_assets/trip/beach.jpg");
        Map<String, Object> asset = SqliteFile.rows(database, "SELECT * FROM assets").get(0);
        assertThat(asset).containsEntry("id", outcome.contentHash()).containsEntry("file_name", "beach.jpg")
                .containsEntry("file_path", photo.toString()).containsEntry("source_root", "raw_assets")
                .containsEntry("media_type", "image").containsEntry("size_bytes", (int) Files.size(photo))
                .containsEntry("width", 320).containsEntry("height", 200);
        assertThat((String) asset.get("raw_json")).contains("\"probe\"").contains("\"format\":\"JPEG\"");
        assertThat(SqliteFile.rows(database, "SELECT rel_path, asset_id FROM asset_paths WHERE deleted_at IS NULL"))
                .containsExactly(Map.of("rel_path", "trip/beach.jpg", "asset_id", outcome.contentHash()));
        assertThat(log()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("status", "ok").containsEntry("detail", "new content")
                .containsEntry("file_path", "raw_assets/trip/beach.jpg").containsEntry("content_hash", outcome.contentHash()));
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM analysis_cache WHERE asset_id = ? AND analyzer = 'probe'",
                outcome.contentHash())).isEqualTo(1);
    }

    @Test
    void unchangedFileIsNeitherHashedNorLogged() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("a.jpg"), 32, 32, 1);
        indexer().index(candidate(photo, MediaType.IMAGE), false);
        AtomicInteger hashes = new AtomicInteger();
        FileOutcome again = indexer(file -> {
            hashes.incrementAndGet();
            return new Sha256Hasher().hash(file);
        }).index(candidate(photo, MediaType.IMAGE), false);

        assertThat(again.kind()).isEqualTo(FileOutcome.Kind.UNCHANGED);
        assertThat(hashes).hasValue(0);
        assertThat(log()).hasSize(1);
    }

    @Test
    void forcedRehashOfKnownContentAtTheSamePathIsSkipped() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("a.jpg"), 32, 32, 1);
        indexer().index(candidate(photo, MediaType.IMAGE), false);
        FileOutcome again = indexer().index(candidate(photo, MediaType.IMAGE), true);

        assertThat(again.kind()).isEqualTo(FileOutcome.Kind.SKIPPED);
        assertThat(probe.calls()).isEqualTo(1);
        assertThat(log()).extracting(row -> row.get("status")).containsExactly("ok", "skipped");
    }

    @Test
    void copyOfKnownContentIsRecordedAsANewPathWithoutAnalysis() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("a.jpg"), 32, 32, 1);
        Path copy = Files.copy(photo, Files.createDirectories(root.dir().resolve("copies")).resolve("b.jpg"));
        FileOutcome first = indexer().index(candidate(photo, MediaType.IMAGE), false);
        FileOutcome second = indexer().index(candidate(copy, MediaType.IMAGE), false);

        assertThat(second.kind()).isEqualTo(FileOutcome.Kind.LINKED);
        assertThat(second.contentHash()).isEqualTo(first.contentHash());
        assertThat(probe.calls()).isEqualTo(1);
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isEqualTo(1);
        assertThat(SqliteFile.rows(database, "SELECT rel_path FROM asset_paths ORDER BY rel_path"))
                .extracting(row -> row.get("rel_path")).containsExactly("a.jpg", "copies/b.jpg");
        assertThat(log().get(1)).containsEntry("status", "ok").containsEntry("detail", "new path for known content");
    }

    @Test
    void editedFileBecomesNewContentAtTheSamePath() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("a.jpg"), 32, 32, 1);
        FileOutcome before = indexer().index(candidate(photo, MediaType.IMAGE), false);
        TestMedia.jpeg(photo, 64, 48, 2);
        FileOutcome after = indexer().index(candidate(photo, MediaType.IMAGE), false);

        assertThat(after.kind()).isEqualTo(FileOutcome.Kind.INDEXED);
        assertThat(after.contentHash()).isNotEqualTo(before.contentHash());
        assertThat(SqliteFile.value(database, "SELECT asset_id FROM asset_paths WHERE rel_path = 'a.jpg'"))
                .isEqualTo(after.contentHash());
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isEqualTo(2);
    }

    @Test
    void emptyFileFailsAtStatAndIsNotStored() throws IOException {
        Path empty = Files.createFile(root.dir().resolve("empty.png"));
        FileOutcome outcome = indexer().index(candidate(empty, MediaType.IMAGE), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(log()).singleElement().satisfies(row -> assertThat(row).containsEntry("status", "failed")
                .containsEntry("stage", "stat").containsEntry("error", "empty file (0 bytes); it is indexed once it has content"));
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isZero();
    }

    @Test
    void corruptImageFailsAtProbeWithItsHashAndIsNotStored() throws IOException {
        Path noise = TestMedia.randomBytes(root.dir().resolve("noise.jpg"), 2048, 5);
        FileOutcome outcome = indexer().index(candidate(noise, MediaType.IMAGE), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(outcome.stage()).isEqualTo("probe");
        assertThat(log().get(0).get("content_hash")).isEqualTo(outcome.contentHash()).isNotNull();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isZero();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM asset_paths")).isZero();
    }

    @Test
    void fileThatGrowsWhileBeingHashedIsNotStoredUnderThatHash() throws IOException {
        Path clip = TestMedia.fixture("clip.mp4", root.dir().resolve("clip.mp4"));
        Hasher hasherThatSeesAWriter = file -> {
            Hasher.Result result = new Sha256Hasher().hash(file);
            Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            return result;
        };
        FileOutcome outcome = indexer(hasherThatSeesAWriter).index(candidate(clip, MediaType.VIDEO), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(outcome.stage()).isEqualTo("hash");
        assertThat(outcome.error()).contains("changed while being hashed");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isZero();
    }

    @Test
    void fileThatVanishesWhileBeingHashedIsReported() throws IOException {
        Path clip = TestMedia.fixture("clip.mp4", root.dir().resolve("clip.mp4"));
        Hasher hasherThatSeesADelete = file -> {
            Hasher.Result result = new Sha256Hasher().hash(file);
            Files.delete(file);
            return result;
        };
        FileOutcome outcome = indexer(hasherThatSeesADelete).index(candidate(clip, MediaType.VIDEO), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(outcome.error()).isEqualTo("vanished while being read");
    }

    @Test
    void fileGoneBeforeItsTurnIsReported() throws IOException {
        Path clip = TestMedia.fixture("clip.mp4", root.dir().resolve("clip.mp4"));
        FileCandidate found = candidate(clip, MediaType.VIDEO);
        Files.delete(clip);
        assertThat(indexer().index(found, false).error()).isEqualTo("vanished before it could be read");
    }

    @Test
    void unexpectedErrorOnOneFileIsThatFilesFailure() throws IOException {
        Path clip = TestMedia.fixture("clip.mp4", root.dir().resolve("clip.mp4"));
        Hasher buggy = file -> {
            throw new IllegalStateException("bug");
        };
        FileOutcome outcome = indexer(buggy).index(candidate(clip, MediaType.VIDEO), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(outcome.stage()).isEqualTo("internal");
        assertThat(outcome.error()).contains("IllegalStateException").contains(".err.log");
        assertThat(log()).singleElement().satisfies(row -> assertThat(row).containsEntry("status", "failed"));
    }

    @Test
    void fileWhoseNameIsNotValidUtf8IsReportedNotMangled() throws Exception {
        assumeThat(FileNames.encoding()).isEqualToIgnoringCase("UTF-8");
        TestMedia.jpeg(root.dir().resolve("source.jpg"), 16, 16, 1);
        Process copy = new ProcessBuilder("sh", "-c", "cp source.jpg \"$(printf 'caf\\351.jpg')\"")
                .directory(root.dir().toFile()).inheritIO().start();
        assertThat(copy.waitFor()).isZero();
        Path latin1;
        try (var files = Files.list(root.dir())) {
            latin1 = files.filter(f -> !f.getFileName().toString().equals("source.jpg")).findFirst().orElseThrow();
        }

        FileOutcome outcome = indexer().index(candidate(latin1, MediaType.IMAGE), false);

        assertThat(outcome.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(outcome.error()).contains("name is not valid UTF-8").contains("rename the file");
    }

    @Test
    void unreadableFileIsReportedWithWhatToDo() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root can read anything").isNotEqualTo("root");
        Path clip = TestMedia.fixture("clip.mp4", root.dir().resolve("clip.mp4"));
        Files.setPosixFilePermissions(clip, PosixFilePermissions.fromString("---------"));
        FileOutcome outcome = indexer().index(candidate(clip, MediaType.VIDEO), false);
        assertThat(outcome.stage()).isEqualTo("read");
        assertThat(outcome.error()).contains("permission denied");
    }

    @Test
    void fileUnderAJobsRootCarriesItsJobId() throws IOException {
        WatchRoot jobs = new WatchRoot("jobs", Files.createDirectories(workspace.resolve("jobs")), true);
        Path take = TestMedia.wav(jobs.dir().resolve("ACME-042/audio/take1.wav"), 0.2, 1);
        Path loose = TestMedia.wav(jobs.dir().resolve("loose.wav"), 0.2, 2);
        indexer().index(candidate(jobs, take, MediaType.AUDIO), false);
        indexer().index(candidate(jobs, loose, MediaType.AUDIO), false);

        assertThat(SqliteFile.rows(database, "SELECT file_name, job_id FROM assets ORDER BY file_name"))
                .extracting(row -> row.get("job_id")).containsExactly(null, "ACME-042");
        assertThat(SqliteFile.value(database, "SELECT job_id FROM asset_paths WHERE rel_path = 'ACME-042/audio/take1.wav'"))
                .isEqualTo("ACME-042");
    }

    @Test
    void aFileReplacedWhileItWasAnalysedIsNotStoredUnderTheHashOfTheFileBefore() throws IOException {
        Path photo = TestMedia.jpeg(root.dir().resolve("photo.jpg"), 320, 200, 1);
        byte[] other = TestMedia.jpegBytes(64, 48, 2);
        AtomicInteger replacements = new AtomicInteger();
        CountingAnalyzer replacing = new CountingAnalyzer(new ProbeAnalyzer(new MediaTools(
                new MediaSettings(null, null, false, 0, 85), Path.of("target", "javacpp-cache").toAbsolutePath())), () -> {
            if (replacements.getAndIncrement() == 0) {
                Path next = TestMedia.write(root.dir().resolve(".next.jpg"), other);
                try {
                    Files.move(next, photo, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        FileIndexer indexer = new FileIndexer(store, new AnalyzerChain(List.of(replacing)), new Sha256Hasher(),
                Clock.systemUTC());

        FileOutcome first = indexer.index(candidate(photo, MediaType.IMAGE), false);

        assertThat(first.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(first.error()).isEqualTo("changed while being analysed; it is indexed once it stops changing");
        assertThat(SqliteFile.rows(database, "SELECT * FROM assets")).isEmpty();
        assertThat(SqliteFile.rows(database, "SELECT * FROM analysis_cache")).as("the facts may be the other file's")
                .isEmpty();
        FileOutcome second = indexer.index(candidate(photo, MediaType.IMAGE), false);
        assertThat(second.kind()).isEqualTo(FileOutcome.Kind.INDEXED);
        assertThat(((Number) SqliteFile.value(database, "SELECT width FROM assets")).intValue()).isEqualTo(64);
    }
}

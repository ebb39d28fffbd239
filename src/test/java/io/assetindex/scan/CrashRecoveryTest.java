package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.index.FileCandidate;
import io.assetindex.store.InFlightFile;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows a dead process left in files_in_flight, as a kill -9 or an out-of-memory exit leaves them. */
class CrashRecoveryTest {
    /** A process that does not run: pid 1 started at the epoch (pid 1 started at boot, not then). */
    private static final String DEAD = "1:0";

    @TempDir
    Path workspace;

    private AppConfig config;
    private IndexStore store;
    private Indexing indexing;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(workspace.resolve("raw_assets"));
        config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        store = IndexStore.open(config.workspace().databaseFile(), 3, Clock.systemUTC());
        indexing = Indexing.create(config, store, Clock.systemUTC(), name -> null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private InFlightFile leftInFlight(Path file, boolean alone, int crashes) throws IOException {
        String rel = workspace.resolve("raw_assets").relativize(file).toString();
        InFlightFile left = new InFlightFile("raw_assets", rel, "raw_assets/" + rel, Files.size(file),
                Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS), "0".repeat(64), DEAD, false, 0);
        store.startAnalysis(left);
        if (alone) {
            store.claimInFlight(left, DEAD, crashes);
        }
        return left;
    }

    private List<Map<String, Object>> rows(String sql) {
        return SqliteFile.rows(workspace.resolve(".asset_index/index.db"), sql);
    }

    @Test
    void aFileInFlightWhenItsProcessDiedIsAnalysedAgainOnItsOwnAndIndexed() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/photo.jpg"), 32, 24, 1);
        leftInFlight(photo, false, 0);

        CrashRecovery.Summary summary = indexing.crashRecovery().run();

        assertThat(summary).isEqualTo(new CrashRecovery.Summary(1, 0));
        assertThat(rows("SELECT * FROM files_in_flight")).isEmpty();
        assertThat(rows("SELECT rel_path FROM asset_paths")).extracting(r -> r.get("rel_path")).containsExactly("photo.jpg");
    }

    @Test
    void aFileInFlightWhoseContentWasIndexedFromACopyMeanwhileIsRecordedAsKnownContentAndUnmarked() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/photo.jpg"), 32, 24, 1);
        Files.copy(photo, workspace.resolve("raw_assets/copy.jpg"));
        leftInFlight(photo, false, 0);
        List<ScanTarget> root = List.of(ScanTarget.wholeRoot(config.watchRoots().get(0)));
        indexing.indexer().index(new FileCandidate(config.watchRoots().get(0), workspace.resolve("raw_assets/copy.jpg"),
                "copy.jpg", MediaType.IMAGE, 0, 0), false);

        assertThat(indexing.crashRecovery().run()).isEqualTo(new CrashRecovery.Summary(1, 0));

        assertThat(rows("SELECT * FROM files_in_flight")).as("the mark ends with the file's outcome").isEmpty();
        assertThat(rows("SELECT rel_path FROM asset_paths")).extracting(r -> r.get("rel_path"))
                .containsExactlyInAnyOrder("photo.jpg", "copy.jpg");
        assertThat(indexing.crashRecovery().run()).as("nothing left for the next start").isEqualTo(CrashRecovery.Summary.NONE);
        assertThat(indexing.scanner().scan(root, ScanOptions.SCAN, ScanListener.NONE).unchanged()).isEqualTo(2);
    }

    @Test
    void aFileThatStoppedTheProcessTwiceOnItsOwnIsRecordedAsFailedAndLeftAloneByScans() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/photo.jpg"), 32, 24, 1);
        leftInFlight(photo, true, 1); // the process died while analysing it alone, once before that too

        CrashRecovery.Summary summary = indexing.crashRecovery().run();

        assertThat(summary).isEqualTo(new CrashRecovery.Summary(0, 1));
        assertThat(rows("SELECT stage, error FROM process_log")).singleElement().satisfies(row -> {
            assertThat(row.get("stage")).isEqualTo("crash");
            assertThat((String) row.get("error")).contains("stopped 2 times while analysing it on its own");
        });
        assertThat(rows("SELECT stage, retry_after FROM failed_files")).singleElement().satisfies(row -> {
            assertThat(row.get("stage")).isEqualTo("crash");
            assertThat(row.get("retry_after")).as("not a failure that passes by itself").isNull();
        });
        List<ScanTarget> root = List.of(ScanTarget.wholeRoot(config.watchRoots().get(0)));
        assertThat(indexing.scanner().scan(root, ScanOptions.SCAN, ScanListener.NONE).failedBefore())
                .as("not tried again at start: it would bring the process down").isEqualTo(1);
        assertThat(indexing.scanner().scan(root, ScanOptions.REHASH, ScanListener.NONE).indexed())
                .as("requeue and --rehash try it").isEqualTo(1);
    }

    @Test
    void aFileThatChangedOrWentAwaySinceIsLeftToTheScan() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/photo.jpg"), 32, 24, 1);
        leftInFlight(photo, true, 1);
        TestMedia.jpeg(photo, 48, 24, 2);
        Path gone = TestMedia.jpeg(workspace.resolve("raw_assets/gone.jpg"), 32, 24, 3);
        leftInFlight(gone, false, 0);
        Files.delete(gone);

        assertThat(indexing.crashRecovery().run()).isEqualTo(CrashRecovery.Summary.NONE);
        assertThat(rows("SELECT * FROM files_in_flight")).isEmpty();
        assertThat(rows("SELECT * FROM failed_files")).isEmpty();
    }

    @Test
    void filesInFlightOfARunningProcessAreLeftToIt() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/photo.jpg"), 32, 24, 1);
        String rel = "photo.jpg";
        store.startAnalysis(new InFlightFile("raw_assets", rel, "raw_assets/" + rel, Files.size(photo),
                Files.getLastModifiedTime(photo).to(TimeUnit.NANOSECONDS), "0".repeat(64),
                io.assetindex.util.ProcessOwner.current(), false, 0));

        assertThat(indexing.crashRecovery().run()).isEqualTo(CrashRecovery.Summary.NONE);
        assertThat(rows("SELECT * FROM files_in_flight")).hasSize(1);
    }
}

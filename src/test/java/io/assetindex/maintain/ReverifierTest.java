package io.assetindex.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.config.VerifySettings;
import io.assetindex.scan.Indexing;
import io.assetindex.scan.ScanListener;
import io.assetindex.scan.ScanOptions;
import io.assetindex.scan.ScanTargets;
import io.assetindex.store.BitRot;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestClock;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled re-verification on real files in a real index, with a test clock: what is due, bit
 * flips behind a restored mtime found and kept apart from the recorded content, files changed in
 * the ordinary way handed back, the speed limit and the gate that lets indexing go first.
 */
class ReverifierTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path workspace;

    private final TestClock clock = new TestClock(T0);
    private IndexStore store;
    private final List<String> bitRot = new ArrayList<>();
    private final List<Path> changed = new ArrayList<>();

    @BeforeEach
    void indexThreePhotos() throws IOException {
        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 320, 240, 1);
        TestMedia.jpeg(workspace.resolve("raw_assets/b.jpg"), 320, 240, 2);
        TestMedia.jpeg(workspace.resolve("raw_assets/c.jpg"), 320, 240, 3);
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        store = IndexStore.open(config.workspace().databaseFile(), 3, clock);
        Indexing indexing = Indexing.create(config, store, clock, name -> null);
        assertThat(indexing.scanner().scan(ScanTargets.forPaths(config, List.of()), ScanOptions.SCAN,
                ScanListener.NONE).indexed()).isEqualTo(3);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Reverifier.Pass pass(VerifySettings settings, Reverifier.Gate gate) throws InterruptedException {
        return new Reverifier(store.verification(), settings, gate, clock).run(new Reverifier.Listener() {
            @Override
            public void progress(Reverifier.Pass pass) {}

            @Override
            public void bitRot(String displayPath, String expectedHash, String foundHash) {
                bitRot.add(displayPath);
            }

            @Override
            public void changed(Path file) {
                changed.add(file);
            }
        }, () -> false);
    }

    private Reverifier.Pass pass() throws InterruptedException {
        return pass(new VerifySettings(30, 0), Reverifier.Gate.OPEN);
    }

    /** Flips one bit in the middle of the file and puts its mtime back, as bit rot would leave it. */
    private static void flipABitKeepingTheMtime(Path file) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = bytes.length() / 2;
            bytes.seek(middle);
            int b = bytes.read();
            bytes.seek(middle);
            bytes.write(b ^ 0x10);
        }
        Files.setLastModifiedTime(file, mtime);
    }

    private String recordedAt(String relPath) {
        return (String) SqliteFile.value(workspace.resolve(".asset_index/index.db"),
                "SELECT asset_id FROM asset_paths WHERE rel_path = ?", relPath);
    }

    @Test
    void aBitFlipBehindARestoredMtimeIsFoundWithinOnePeriodAndTheRecordedHashIsKept() throws Exception {
        String recorded = recordedAt("b.jpg");
        flipABitKeepingTheMtime(workspace.resolve("raw_assets/b.jpg"));

        clock.advance(Duration.ofDays(29));
        assertThat(pass().files()).as("nothing is due before a period has passed").isZero();

        clock.advance(Duration.ofDays(2));
        Reverifier.Pass pass = pass();

        assertThat(pass.dueFiles()).isEqualTo(3);
        assertThat(pass.files()).isEqualTo(3);
        assertThat(pass.bitRot()).isEqualTo(1);
        assertThat(pass.finished()).isTrue();
        assertThat(bitRot).containsExactly("raw_assets/b.jpg");
        assertThat(recordedAt("b.jpg")).isEqualTo(recorded);
        List<BitRot> found = store.verification().bitRot(10);
        assertThat(found).singleElement().satisfies(rot -> {
            assertThat(rot.expectedHash()).isEqualTo(recorded);
            assertThat(rot.foundHash()).isNotEqualTo(recorded).hasSize(64);
            assertThat(rot.foundAt()).isEqualTo(clock.instant());
        });
        assertThat(pass().files()).as("each file is read once per period").isZero();
    }

    @Test
    void aFileWhoseBytesMatchAgainIsNoLongerReported() throws Exception {
        Path b = workspace.resolve("raw_assets/b.jpg");
        byte[] original = Files.readAllBytes(b);
        FileTime mtime = Files.getLastModifiedTime(b);
        flipABitKeepingTheMtime(b);
        clock.advance(Duration.ofDays(31));
        pass();
        assertThat(store.verification().countBitRot()).isEqualTo(1);

        Files.write(b, original); // restored from a backup, mtime too
        Files.setLastModifiedTime(b, mtime);
        clock.advance(Duration.ofDays(31));
        Reverifier.Pass pass = pass();

        assertThat(pass.bitRot()).isZero();
        assertThat(store.verification().countBitRot()).isZero();
    }

    @Test
    void aFileChangedInTheOrdinaryWayIsHandedBackAndNotCalledBitRot() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/c.jpg"), 640, 480, 9);
        clock.advance(Duration.ofDays(31));

        Reverifier.Pass pass = pass();

        assertThat(pass.changed()).isEqualTo(1);
        assertThat(changed).containsExactly(workspace.resolve("raw_assets/c.jpg"));
        assertThat(bitRot).isEmpty();
    }

    @Test
    void readingKeepsUnderTheSpeedLimit() throws Exception {
        TestMedia.randomBytes(workspace.resolve("raw_assets/big.jpg"), 3_000_000, 4);
        Path big = workspace.resolve("raw_assets/big.jpg");
        SqliteFile.execute(workspace.resolve(".asset_index/index.db"), "INSERT INTO assets (id, file_name, file_path,"
                + " source_root, media_type, size_bytes, mtime, indexed_at) VALUES (?, 'big.jpg', ?, 'raw_assets',"
                + " 'image', 3000000, 0, ?)", "f".repeat(64), big.toString(), T0.toString());
        SqliteFile.execute(workspace.resolve(".asset_index/index.db"), "INSERT INTO asset_paths (asset_id, source_root,"
                + " rel_path, abs_path, size_bytes, mtime_ns, first_seen_at, last_seen_at, host) VALUES (?, 'raw_assets',"
                + " 'big.jpg', ?, 3000000, ?, ?, ?, ?)", "f".repeat(64), big.toString(),
                Files.getLastModifiedTime(big).to(TimeUnit.NANOSECONDS), T0.toString(), T0.toString(),
                io.assetindex.util.ProcessOwner.host());
        clock.advance(Duration.ofDays(31));

        long start = System.nanoTime();
        Reverifier.Pass pass = pass(new VerifySettings(30, 2), Reverifier.Gate.OPEN);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(pass.bytes()).isGreaterThan(3_000_000);
        assertThat(seconds).as("about 3.1 MB at 2 MB/s").isGreaterThan(1.2);
    }

    @Test
    void readingWaitsWhileIndexingHasWork() throws Exception {
        clock.advance(Duration.ofDays(31));
        CountDownLatch indexingDone = new CountDownLatch(1);
        Thread indexing = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            indexingDone.countDown();
        });
        indexing.start();

        long start = System.nanoTime();
        Reverifier.Pass pass = pass(new VerifySettings(30, 0), indexingDone::await);

        assertThat(pass.files()).isEqualTo(3);
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(390);
    }
}

package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.JarRunner;
import io.assetindex.testing.Sha256;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a first scan whose files are committed in groups: a real {@code asset-index scan}
 * in a child JVM (the local model, thumbnails, the whole pipeline) is killed at random moments
 * while it indexes, checked as the kill left it, and started again, until a last run completes.
 */
class KilledScanTest {
    private static final int PHOTOS = 400;
    private static final int COPIES = 40;
    private static final int CUT = 10;
    private static final int KILLS = 4;
    private static final List<String> ANALYZERS = List.of("probe", "integrity", "thumbnail", "embed");

    @TempDir
    Path workspace;

    private final Random random = new Random(16);

    private Path database() {
        return workspace.resolve(".asset_index/index.db");
    }

    /** A count from the index, 0 while the scan has not created it yet. */
    private long count(String sql) {
        if (!Files.exists(database()) || SqliteFile.rows(database(),
                "SELECT 1 FROM sqlite_master WHERE name IN ('process_log', 'files_in_flight')").size() < 2) {
            return 0;
        }
        return ((Number) SqliteFile.rows(database(), sql).get(0).get("n")).longValue();
    }

    private Process scan() throws IOException {
        return new ProcessBuilder(JarRunner.java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.assetindex.cli.Main", "--workspace", workspace.toString(), "scan")
                .redirectErrorStream(true).redirectOutput(workspace.resolve("scan.out").toFile()).start();
    }

    /** Photos, copies of some of them (known content at new paths) and cut ones (corrupt); their SHA-256 by path. */
    private Map<String, String> files() throws IOException {
        Path raw = Files.createDirectories(workspace.resolve("raw_assets"));
        Map<String, String> files = new HashMap<>();
        for (int i = 0; i < PHOTOS; i++) {
            Path photo = TestMedia.jpeg(raw.resolve("d" + i / 100 + "/photo" + i + ".jpg"), 48, 32, i);
            files.put(raw.relativize(photo).toString(), Sha256.hex(Files.readAllBytes(photo)));
        }
        for (int i = 0; i < COPIES; i++) {
            Path copy = Files.copy(raw.resolve("d0/photo" + i + ".jpg"), raw.resolve("d0/copy" + i + ".jpg"));
            files.put(raw.relativize(copy).toString(), files.get("d0/photo" + i + ".jpg"));
        }
        for (int i = 0; i < CUT; i++) {
            byte[] whole = TestMedia.jpegBytes(64, 48, 1000 + i);
            Files.write(raw.resolve("cut/cut" + i + ".jpg"), Arrays.copyOf(whole, whole.length / 2));
        }
        return files;
    }

    @Test
    void aFirstScanKilledAtRandomMomentsRecordsEveryFileOnceWithItsHashAndNeverInPart() throws Exception {
        Files.createDirectories(workspace.resolve("raw_assets/cut"));
        Map<String, String> files = files();
        long attempts = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long left = count("SELECT count(*) AS n FROM files_in_flight");
            long killAt = attempts + left + 1 + random.nextInt(60);
            Process scan = scan();
            try {
                while (scan.isAlive() && count("SELECT count(*) AS n FROM process_log") < killAt) {
                    Thread.sleep(2);
                }
            } finally {
                scan.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(scan.exitValue()).as("killed (%s), not finished: add files", kill).isNotZero();
            attempts = count("SELECT count(*) AS n FROM process_log");
            nothingRecordedInPart("after kill " + kill);
        }
        Process last = scan();
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(workspace.resolve("scan.out"))).isZero();

        nothingRecordedInPart("at the end");
        assertThat(rows("SELECT rel_path, asset_id FROM asset_paths WHERE deleted_at IS NULL"))
                .as("every photo and copy has one live path, with the SHA-256 of its bytes")
                .containsExactlyInAnyOrderElementsOf(files.entrySet().stream()
                        .map(file -> file.getKey() + " " + file.getValue()).toList());
        assertThat(count("SELECT count(*) AS n FROM assets")).isEqualTo(PHOTOS);
        assertThat(rows("SELECT file_path, count(*) FROM process_log WHERE status = 'ok' GROUP BY file_path"
                + " HAVING count(*) > 1")).as("no file recorded twice").isEmpty();
        assertThat(count("SELECT count(*) AS n FROM process_log WHERE status = 'ok'")).isEqualTo(files.size());
        assertThat(count("SELECT count(*) AS n FROM failed_files")).as("the cut photos").isEqualTo(CUT);
        assertThat(count("SELECT count(*) AS n FROM files_in_flight")).isZero();
        assertThat(rows("PRAGMA integrity_check")).containsExactly("ok");
        try (Stream<Path> thumbs = Files.walk(workspace.resolve(".asset_index/thumbs"))) {
            // A kill between a thumbnail's temp file and its rename leaves the temp file: the watcher's start and prune remove those.
            assertThat(thumbs.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .filter(name -> !SafeFiles.isTempName(name)))
                    .as("a thumbnail file for every one recorded").containsExactlyInAnyOrderElementsOf(
                            rows("SELECT DISTINCT json_extract(result_json, '$.sha256') || '.jpg' FROM analysis_cache"
                                    + " WHERE analyzer = 'thumbnail'"));
        }
    }

    /**
     * What a kill may leave: whole files only. Every asset has its live path, its vector, the
     * results of every analyzer and its 'ok' row; every recorded path has its 'ok' row; and no
     * file is marked in flight that is recorded with the content it was marked for.
     */
    private void nothingRecordedInPart(String when) {
        for (String analyzer : ANALYZERS) {
            assertThat(rows("SELECT id FROM assets WHERE id NOT IN (SELECT asset_id FROM analysis_cache"
                    + " WHERE analyzer = ?)", analyzer)).as("assets without %s %s", analyzer, when).isEmpty();
        }
        assertThat(rows("SELECT id FROM assets WHERE id NOT IN (SELECT id FROM assets_vec)"))
                .as("assets without a vector %s", when).isEmpty();
        assertThat(rows("SELECT id FROM assets WHERE id NOT IN (SELECT asset_id FROM asset_paths"
                + " WHERE deleted_at IS NULL)")).as("assets without a path %s", when).isEmpty();
        assertThat(rows("SELECT p.rel_path FROM asset_paths p WHERE NOT EXISTS (SELECT 1 FROM process_log l"
                + " WHERE l.status = 'ok' AND l.content_hash = p.asset_id AND l.file_path = 'raw_assets/' || p.rel_path)"))
                .as("paths without their attempt %s", when).isEmpty();
        assertThat(rows("SELECT f.rel_path FROM files_in_flight f JOIN asset_paths p ON p.source_root = f.source_root"
                + " AND p.rel_path = f.rel_path AND p.asset_id = f.content_hash AND p.deleted_at IS NULL"))
                .as("files marked in flight that are recorded %s", when).isEmpty();
    }

    private List<String> rows(String sql, Object... params) {
        return SqliteFile.rows(database(), sql, params).stream()
                .map(row -> String.join(" ", row.values().stream().map(String::valueOf).toList())).toList();
    }
}

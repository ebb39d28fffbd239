package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune} on an index with deleted paths, orphaned assets and old attempts, in-process on real files. */
class PruneCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;
    private Path database;
    private String goneId;

    @BeforeEach
    void indexThenDeleteSomeFiles() throws IOException {
        TestMedia.jpeg(raw("keep.jpg"), 40, 30, 1);
        TestMedia.jpeg(raw("gone.jpg"), 40, 30, 2);
        Files.copy(raw("keep.jpg"), raw("copy-of-keep.jpg"));
        byte[] jpeg = TestMedia.jpegBytes(200, 150, 3);
        TestMedia.write(raw("noise.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        database = workspace.resolve(".asset_index/index.db");
        goneId = (String) SqliteFile.value(database, "SELECT id FROM assets WHERE file_name = 'gone.jpg'");
        Files.delete(raw("gone.jpg"));
        Files.delete(raw("copy-of-keep.jpg"));
        Files.delete(raw("noise.jpg"));
        assertThat(cli.run("scan", "--json").json().get("deleted").asInt()).isEqualTo(2);
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private long count(String sql, Object... params) {
        return SqliteFile.count(database, sql, params);
    }

    private long thumbnailFiles() throws IOException {
        try (var files = Files.walk(workspace.resolve(".asset_index/thumbs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private void daysLater(int days) {
        cli.clock = Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofDays(days));
    }

    @Test
    void dryRunCountsWithoutRemovingAnything() throws IOException {
        daysLater(1);
        JsonNode report = cli.run("prune", "--dry-run", "--json").json();

        assertThat(report.get("dry_run").asBoolean()).isTrue();
        assertThat(report.get("deleted_paths").asInt()).isEqualTo(2);
        assertThat(report.get("assets").asInt()).isEqualTo(1);
        assertThat(report.get("vectors").asInt()).isEqualTo(1);
        assertThat(report.get("thumbnails").asInt()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM asset_paths")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(2);
        assertThat(thumbnailFiles()).isEqualTo(2);
    }

    @Test
    void purgesPathsDeletedLongerAgoThanAskedAndWhatOnlyTheyHeld() throws IOException {
        InProcess.Run tooRecent = cli.run("prune", "--older-than", "5");
        assertThat(tooRecent.out()).startsWith("prune: removed 0 deleted paths, 0 assets with no path");
        daysLater(10);

        JsonNode report = cli.run("prune", "--older-than", "5", "--json").json();

        assertThat(report.get("deleted_paths").asInt()).isEqualTo(2);
        assertThat(report.get("assets").asInt()).isEqualTo(1);
        assertThat(report.get("cache_rows").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(report.get("thumbnail_bytes").asLong()).isPositive();
        assertThat(count("SELECT count(*) FROM assets WHERE id = ?", goneId)).isZero();
        assertThat(count("SELECT count(*) FROM assets_vec WHERE id = ?", goneId)).isZero();
        assertThat(count("SELECT count(*) FROM analysis_cache WHERE asset_id = ?", goneId)).isZero();
        assertThat(count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(1);
        assertThat(thumbnailFiles()).isEqualTo(1);
        assertThat(cli.run("show", "raw_assets/keep.jpg").exitCode()).isZero();
        if (!TestPostgres.selected()) {
            assertThat(SqliteFile.value(database, "PRAGMA integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void trimsTheProcessLogToItsRetentionAndForgetsVerdictsOfContentNoLongerMentioned() throws IOException {
        long verdicts = count("SELECT count(*) FROM analysis_cache WHERE asset_id NOT IN (SELECT id FROM assets)");
        assertThat(verdicts).isPositive();
        daysLater(100);
        assertThat(cli.run("prune", "--json").json().get("log_rows").asInt()).isZero();
        Files.writeString(workspace.resolve("asset-index.yaml"), "process_log_retention_days: 30\n");

        JsonNode report = cli.run("prune", "--json").json();

        assertThat(report.get("log_rows").asInt()).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM process_log")).isZero();
        assertThat(count("SELECT count(*) FROM analysis_cache WHERE asset_id NOT IN (SELECT id FROM assets)")).isZero();
    }

    @Test
    void removesTheTempFilesOfWritesAKilledProcessLeftAndKeepsFreshOnes() throws IOException {
        Path dataDir = workspace.resolve(".asset_index");
        Path thumb;
        try (var files = Files.walk(dataDir.resolve("thumbs"))) {
            thumb = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Path staleThumb = SafeFiles.tempSibling(thumb, "thumb");
        Path staleState = SafeFiles.tempSibling(dataDir.resolve("state.json"), "state");
        Path fresh = SafeFiles.tempSibling(dataDir.resolve("state.json"), "state");
        for (Path temp : List.of(staleThumb, staleState, fresh)) {
            Files.writeString(temp, "half written");
        }
        Files.setLastModifiedTime(staleThumb, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(staleState, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        JsonNode dryRun = cli.run("prune", "--dry-run", "--json").json();
        assertThat(dryRun.get("temp_files").asInt()).isEqualTo(2);
        assertThat(staleState).exists();

        InProcess.Run pruned = cli.run("prune");

        assertThat(pruned.out()).contains("2 temp files (24 bytes)");
        assertThat(staleThumb).doesNotExist();
        assertThat(staleState).doesNotExist();
        assertThat(fresh).as("a process may be writing it now").exists();
        assertThat(thumb).exists();
    }

    @Test
    void aNegativeAgeIsABadUsage() {
        assertThat(cli.run("prune", "--older-than", "-1").exitCode()).isEqualTo(ExitCode.USAGE);
    }
}

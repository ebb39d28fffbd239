package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} after files were changed behind the index's back, in-process on real files. */
class VerifyCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;
    private Path database;

    @BeforeEach
    void indexFourFiles() {
        TestMedia.jpeg(raw("edited.jpg"), 32, 32, 1);
        TestMedia.jpeg(raw("deleted.jpg"), 32, 32, 2);
        TestMedia.jpeg(raw("replaced.jpg"), 32, 32, 3);
        TestMedia.wav(raw("kept.wav"), 0.2, 4);
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        database = workspace.resolve(".asset_index/index.db");
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private String assetAt(String relPath) {
        return (String) SqliteFile.value(database, "SELECT asset_id FROM asset_paths WHERE rel_path = ?"
                + " AND deleted_at IS NULL", relPath);
    }

    @Test
    void findsEditedDeletedAndReplacedFilesAndFixesTheIndex() throws IOException {
        String editedBefore = assetAt("edited.jpg");
        String keptId = assetAt("kept.wav");
        TestMedia.jpeg(raw("edited.jpg"), 48, 40, 11);
        Files.delete(raw("deleted.jpg"));
        Files.copy(raw("kept.wav"), raw("replaced.jpg.new"));
        Files.move(raw("replaced.jpg.new"), raw("replaced.jpg"), StandardCopyOption.REPLACE_EXISTING);

        InProcess.Run verify = cli.run("verify", "--json");

        assertThat(verify.exitCode()).as(verify.err()).isZero();
        JsonNode report = verify.json();
        assertThat(report.get("checked").asInt()).isEqualTo(4);
        assertThat(report.get("vanished").asInt()).isEqualTo(1);
        assertThat(report.get("changed").asInt()).isEqualTo(2);
        assertThat(assetAt("deleted.jpg")).isNull();
        assertThat(assetAt("edited.jpg")).isNotNull().isNotEqualTo(editedBefore);
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE id = ?", assetAt("edited.jpg")))
                .isEqualTo(1);
        assertThat(report.toString()).contains("replaced.jpg", "recorded as known content");
        assertThat(cli.run("verify").out()).startsWith("verify: 3 paths checked: 0 vanished, 0 changed");
        assertThat(assetAt("kept.wav")).isEqualTo(keptId);
    }

    @Test
    void rehashFindsContentChangedWithSizeAndMtimeKept() throws IOException {
        Path file = raw("kept.wav");
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, mtime);

        assertThat(cli.run("verify", "--json").json().get("mismatched").asInt()).isZero();
        InProcess.Run rehash = cli.run("verify", "--rehash");

        assertThat(rehash.out()).contains("kept.wav", "content differs from its recorded hash", "indexed again")
                .contains("1 content mismatches");
        assertThat(cli.run("verify", "--rehash", "--json").json().get("mismatched").asInt()).isZero();
    }

    @Test
    void aMissingWatchPathIsReportedAndItsPathsAreKept() throws IOException {
        Files.move(workspace.resolve("raw_assets"), workspace.resolve("unmounted"));

        InProcess.Run verify = cli.run("verify");

        assertThat(verify.exitCode()).isZero();
        assertThat(verify.err()).contains("watch path raw_assets is missing");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")).isEqualTo(4);
    }

    @Test
    void aMissingThumbnailIsForgottenAndTheNextScanMakesItAgain() throws IOException {
        String path = (String) SqliteFile.value(database, "SELECT output_path FROM derived_files d JOIN assets a"
                + " ON a.id = d.input_hash WHERE a.file_name = 'kept.wav' OR a.file_name = 'edited.jpg' LIMIT 1");
        Path thumbnail = workspace.resolve(".asset_index").resolve(path);
        Files.delete(thumbnail);
        String assetId = (String) SqliteFile.value(database, "SELECT input_hash FROM derived_files WHERE output_path = ?",
                path);
        long feedBefore = SqliteFile.count(database, "SELECT max(seq) FROM index_changes");

        InProcess.Run verify = cli.run("verify");

        assertThat(verify.out()).contains("thumbnail of", "is missing", "1 thumbnails missing");
        // the change feed names the asset, for a running watcher's next look at what changed
        assertThat(SqliteFile.rows(database, "SELECT asset_id, what FROM index_changes WHERE seq > ?", feedBefore))
                .containsExactly(Map.of("asset_id", assetId, "what", "asset"));
        assertThat(cli.run("scan").exitCode()).isZero();
        assertThat(thumbnail).isRegularFile();
        assertThat(cli.run("verify").out()).contains("0 thumbnails missing");
    }

    @Test
    void aWatchPathWhoseDiskIsNotMountedKeepsItsPathsAndVerifySaysHowToConfirm() throws IOException {
        try (var files = Files.walk(workspace.resolve("raw_assets"))) {
            files.filter(Files::isRegularFile).forEach(file -> file.toFile().delete()); // the empty mount point
        }

        InProcess.Run verify = cli.run("verify");

        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out()).contains("the walk found no file where 4 are indexed")
                .contains("asset-index scan --confirm-deletes raw_assets");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")).isEqualTo(4);
    }
}

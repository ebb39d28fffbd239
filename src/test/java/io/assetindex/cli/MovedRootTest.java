package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watch path configured by its absolute path that moves (another mount point), in-process on real files. */
class MovedRootTest {
    private static final List<String> FILES = List.of("a/one.jpg", "a/two.jpg", "b/three.wav");

    @TempDir
    Path workspace;
    @TempDir
    Path disks;

    private InProcess cli;
    private Path database;

    @BeforeEach
    void indexARootOnDiskOne() throws IOException {
        Path media = disks.resolve("disk1/media");
        TestMedia.jpeg(media.resolve(FILES.get(0)), 32, 24, 1);
        TestMedia.jpeg(media.resolve(FILES.get(1)), 24, 32, 2);
        TestMedia.wav(media.resolve(FILES.get(2)), 0.1, 3);
        watch(media);
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        database = workspace.resolve(".asset_index/index.db");
    }

    private void watch(Path root) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: ['" + root + "']\n");
    }

    @Test
    void aRootFoundAtANewMountPointKeepsItsPathsWithoutHashing() throws IOException {
        Files.move(disks.resolve("disk1"), disks.resolve("disk2"));
        Files.createDirectories(disks.resolve("disk1/media")); // the empty mount point left behind
        Path media = disks.resolve("disk2/media");
        watch(media);
        long attempts = SqliteFile.count(database, "SELECT count(*) FROM process_log");

        JsonNode scan = cli.run("scan", "--json").json();

        assertThat(scan.get("unchanged").asInt()).isEqualTo(3);
        assertThat(scan.get("bytes_hashed").asLong()).isZero();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM process_log")).isEqualTo(attempts);
        assertThat(SqliteFile.rows(database, "SELECT DISTINCT source_root FROM asset_paths"))
                .containsExactly(java.util.Map.of("source_root", media.toString()));
        assertThat(SqliteFile.rows(database, "SELECT abs_path FROM asset_paths WHERE deleted_at IS NULL"))
                .extracting(row -> (String) row.get("abs_path"))
                .containsExactlyInAnyOrderElementsOf(FILES.stream().map(f -> media.resolve(f).toString()).toList());
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE source_root = ? AND file_path LIKE ?",
                media.toString(), media + "/%")).isEqualTo(3);
    }

    @Test
    void aMirrorOfARootThatIsStillThereIsNotTakenForIt() throws IOException {
        Path mirror = disks.resolve("mirror/media");
        for (String file : FILES) {
            Files.createDirectories(mirror.resolve(file).getParent());
            Files.createLink(mirror.resolve(file), disks.resolve("disk1/media").resolve(file));
        }
        watch(mirror);

        JsonNode scan = cli.run("scan", "--json").json();

        assertThat(scan.get("linked").asInt()).isEqualTo(3);
        assertThat(SqliteFile.count(database, "SELECT count(DISTINCT source_root) FROM asset_paths")).isEqualTo(2);
    }
}

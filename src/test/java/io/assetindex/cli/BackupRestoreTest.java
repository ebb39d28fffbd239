package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.MediaTree;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backup} and {@code restore} in-process, on real SQLite files. */
@Tag("sqlite-only") // backup and restore copy the SQLite file (PostgreSQL: PostgresBackendTest)
class BackupRestoreTest {
    @TempDir
    Path workspace;
    @TempDir
    Path elsewhere;

    private InProcess cli;
    private Path database;

    @BeforeEach
    void indexTwoFiles() {
        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 16, 16, 1);
        TestMedia.wav(workspace.resolve("raw_assets/b.wav"), 0.1, 2);
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        database = workspace.resolve(".asset_index/index.db");
    }

    @Test
    void backupWritesAnIntactCopyAndRefusesToReplaceAFileUnlessForced() {
        Path backup = elsewhere.resolve("index-backup.db");

        InProcess.Run first = cli.run("backup", backup.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.json().get("assets").asInt()).isEqualTo(2);
        assertThat(first.json().get("file").asText()).isEqualTo(backup.toString());
        assertThat(SqliteFile.value(backup, "PRAGMA integrity_check")).isEqualTo("ok");
        assertThat(SqliteFile.count(backup, "SELECT count(*) FROM assets")).isEqualTo(2);
        InProcess.Run again = cli.run("backup", backup.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(again.err()).contains("exists", "--force");
        assertThat(cli.run("backup", backup.toString(), "--force").exitCode()).isZero();
        assertThat(elsewhere).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void backupOfAWorkspaceWithoutAnIndexFails() {
        InProcess.Run run = new InProcess(elsewhere).run("backup", "x.db");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("no index in");
    }

    @Test
    void restoreBringsBackTheBackupAndKeepsTheReplacedIndex() throws IOException {
        Path backup = elsewhere.resolve("before.db");
        cli.run("backup", backup.toString());
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("r--r--r--"));
        SqliteFile.execute(database, "DELETE FROM assets WHERE media_type = 'audio'");

        InProcess.Run restore = cli.run("restore", backup.toString());

        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isEqualTo(2);
        assertThat(SqliteFile.value(database, "PRAGMA integrity_check")).isEqualTo("ok");
        List<Path> kept = keptIndexes();
        assertThat(kept).singleElement().satisfies(file -> assertThat(file.getFileName().toString())
                .matches("index\\.db\\.before-restore-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ"));
        assertThat(restore.out()).contains("now holds 2 assets", "the previous index is kept as " + kept.get(0));
        assertThat(SqliteFile.count(kept.get(0), "SELECT count(*) FROM assets")).isEqualTo(1);
        SqliteFile.execute(database, "DELETE FROM assets");
        InProcess.Run again = cli.run("restore", backup.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(keptIndexes()).hasSize(2).contains(kept.get(0));
        assertThat(SqliteFile.count(kept.get(0), "SELECT count(*) FROM assets")).as("the first kept one").isEqualTo(1);
        assertThat(cli.run("scan", "--json").json().get("unchanged").asInt()).isEqualTo(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(database))).startsWith("rw-");
    }

    private List<Path> keptIndexes() throws IOException {
        try (Stream<Path> files = Files.list(workspace.resolve(".asset_index"))) {
            return files.filter(file -> file.getFileName().toString().startsWith("index.db.before-restore")).sorted()
                    .toList();
        }
    }

    @Test
    void restoreRefusesAFileThatIsNotAnIndexAndChangesNothing() throws IOException {
        Path notADatabase = TestMedia.randomBytes(elsewhere.resolve("junk.db"), 4096, 1);
        Path otherDatabase = elsewhere.resolve("other.db");
        SqliteFile.execute(otherDatabase, "CREATE TABLE t (x)");
        byte[] before = Files.readAllBytes(database);

        InProcess.Run junk = cli.run("restore", notADatabase.toString());
        InProcess.Run other = cli.run("restore", otherDatabase.toString());
        InProcess.Run missing = cli.run("restore", elsewhere.resolve("nope.db").toString());

        assertThat(junk.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(junk.err()).contains("not restoring", "is not an SQLite database");
        assertThat(other.err()).contains("not an asset-index index");
        assertThat(missing.err()).contains("is not a file");
        assertThat(Files.readAllBytes(database)).isEqualTo(before);
        assertThat(keptIndexes()).isEmpty();
    }

    @Test
    void restoreRefusesABackupFromANewerAssetIndex() {
        Path backup = elsewhere.resolve("newer.db");
        cli.run("backup", backup.toString());
        SqliteFile.execute(backup, "INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00.000Z')");

        InProcess.Run restore = cli.run("restore", backup.toString());

        assertThat(restore.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(restore.err()).contains("schema version 99", "newer");
    }

    @Test
    void backupAndExportRefuseAnyTargetInAWatchPathOrTheIndexFolderHoweverItIsSpelled() throws IOException {
        Path data = workspace.resolve(".asset_index");
        Files.writeString(data.resolve("watcher.lock"), "held");
        Files.createSymbolicLink(elsewhere.resolve("media-folder"), workspace.resolve("raw_assets"));
        Files.createSymbolicLink(elsewhere.resolve("index-folder"), data);
        Files.createSymbolicLink(elsewhere.resolve("a-link.jpg"), workspace.resolve("raw_assets/a.jpg"));
        Map<String, String> media = MediaTree.snapshot(workspace.resolve("raw_assets"));
        Map<String, List<String>> rows = SqliteFile.dump(database);
        List<String> targets = List.of("raw_assets/a.jpg", "raw_assets/new.db", "./raw_assets/../raw_assets/b.wav",
                workspace.resolve("raw_assets/a.jpg").toString(), ".asset_index/watcher.lock", ".asset_index/index.db",
                ".asset_index/index.db-wal", ".asset_index/index.db.lock", ".asset_index/state.json",
                elsewhere.resolve("../" + workspace.getFileName() + "/.asset_index/index.db").toString(),
                elsewhere.resolve("media-folder/new.db").toString(), elsewhere.resolve("media-folder/b.wav").toString(),
                elsewhere.resolve("index-folder/index.db").toString(), elsewhere.resolve("a-link.jpg").toString());

        for (String target : targets) {
            for (String[] command : List.of(new String[] {"backup", target, "--force"},
                    new String[] {"export", "--out", target, "--force"})) {
                InProcess.Run run = cli.run(command);

                assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(ExitCode.FAILURE);
                assertThat(run.err()).as(String.join(" ", command)).startsWith("asset-index: refusing to write the "
                        + command[0] + " to ").contains("it is inside ", "write it outside the watch paths and"
                        + " .asset_index/").doesNotContain("Exception");
                assertThat(run.err().strip()).doesNotContain("\n");
            }
        }
        assertThat(MediaTree.snapshot(workspace.resolve("raw_assets"))).isEqualTo(media);
        assertThat(SqliteFile.dump(database)).isEqualTo(rows);
        assertThat(Files.readString(data.resolve("watcher.lock"))).isEqualTo("held");
        assertThat(data.resolve("state.json")).doesNotExist();
        assertThat(Files.isSymbolicLink(elsewhere.resolve("a-link.jpg"))).isTrue();
        // As the file system resolves it: ".." after the symlinked folder is the workspace, which is no watch path.
        assertThat(cli.run("backup", elsewhere.resolve("media-folder/../fine.db").toString()).exitCode()).isZero();
        assertThat(workspace.resolve("fine.db")).isRegularFile();
    }
}

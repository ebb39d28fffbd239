package io.assetindex.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleTempFilesTest {
    private static final String THUMB = "thumbs/ab/ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12.jpg";

    @TempDir
    Path workspace;

    private Path dataDir;
    private final Instant now = Instant.now();
    private final List<Path> stale = new ArrayList<>();
    private final List<Path> kept = new ArrayList<>();

    /** A file with content, last modified {@code age} ago. */
    private Path file(Path path, Duration age) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "partly written");
        Files.setLastModifiedTime(path, FileTime.from(now.minus(age)));
        return path;
    }

    /** The temp file asset-index's writer for {@code target} uses. */
    private Path temp(String target, String purpose) {
        return SafeFiles.tempSibling(dataDir.resolve(target), purpose);
    }

    @BeforeEach
    void leftovers() throws IOException {
        dataDir = workspace.resolve(".asset_index");
        Duration old = Duration.ofHours(2);
        Duration fresh = Duration.ofMinutes(50);
        String[][] writers = {{THUMB, "thumb"}, {THUMB, "import"}, {"state.json", "state"}, {"index.db", "restore"},
                {"doctor", "probe"}, {"cache/write-check", "probe"}, {"exports/media.jsonl.gz", "export"},
                {"media.db", "backup"}};
        for (String[] writer : writers) {
            stale.add(file(temp(writer[0], writer[1]), old));
            kept.add(file(temp(writer[0], writer[1]), fresh));
        }
        for (String name : List.of(THUMB, "index.db", "state.json", "notes.tmp", ".hidden.tmp", ".state.json.tmp",
                "thumbs/ab/.x.jpg.thumb-12-ab.tmp.keep", "thumbs/ab/.x.jpg.thumb-12-xyz.tmp", "logs/watcher.out.log",
                "backup.db.tmp", ".x.Thumb-12-ab.tmp")) {
            kept.add(file(dataDir.resolve(name), old));
        }
    }

    @Test
    void removesStaleTempFilesOfEveryWriterAndKeepsFreshOnesAndEverythingElse() {
        StaleTempFiles.Sweep sweep = StaleTempFiles.sweep(dataDir, now, false);

        assertThat(sweep.files()).isEqualTo(stale.size());
        assertThat(sweep.bytes()).isEqualTo(stale.size() * "partly written".length());
        assertThat(sweep.failed()).isZero();
        assertThat(stale).noneMatch(Files::exists);
        assertThat(kept).allMatch(Files::exists);
    }

    @Test
    void aDryRunCountsAndRemovesNothing() {
        StaleTempFiles.Sweep sweep = StaleTempFiles.sweep(dataDir, now, true);

        assertThat(sweep.files()).isEqualTo(stale.size());
        assertThat(stale).allMatch(Files::exists);
    }

    @Test
    void linksAreNeitherFollowedNorRemoved() throws IOException {
        Path outside = file(workspace.resolve("raw_assets/.photo.jpg.thumb-12-ab.tmp"), Duration.ofHours(2));
        Path link = Files.createSymbolicLink(temp("state.json", "state"), outside);
        Path linkedFolder = Files.createSymbolicLink(dataDir.resolve("linked"), outside.getParent());

        StaleTempFiles.sweep(dataDir, now, false);

        assertThat(outside).exists();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSymbolicLink(linkedFolder)).isTrue();
    }

    @Test
    void noFolderNothingToDo() {
        assertThat(StaleTempFiles.sweep(workspace.resolve("missing"), now, false).files()).isZero();
    }

    @Test
    void everyTempNameIsRecognisedAndOnlyThose() {
        assertThat(stale).allMatch(path -> SafeFiles.isTempName(path.getFileName().toString()));
        assertThatThrownBy(() -> SafeFiles.tempSibling(dataDir.resolve("state.json"), "state.v2"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFreshTempFileWhoseWriterIsNoLongerRunningIsRemovedAtOnce() throws Exception {
        Process writer = new ProcessBuilder("true").start();
        writer.waitFor();
        Path leftover = file(dataDir.resolve("thumbs/cd/.cd01.jpg.thumb-" + writer.pid() + "-1f2e.tmp"), Duration.ZERO);

        StaleTempFiles.sweep(dataDir, now, false);

        assertThat(leftover).doesNotExist();
        assertThat(kept).as("fresh ones of this running process stay").allMatch(Files::exists);
    }
}

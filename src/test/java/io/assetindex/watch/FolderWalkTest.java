package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWalkTest {
    @TempDir
    Path root;

    /** Shoots of files (folders without subfolders), folders of both, empty ones, a hidden one, a link to a folder. */
    private void makeATree() throws IOException {
        for (String shoot : List.of("2023/06 lisbon/card 1", "2023/06 lisbon/card 2", "2024/empty", "jobs/ACME/day1")) {
            Path dir = Files.createDirectories(root.resolve(shoot));
            for (int i = 0; i < 20; i++) {
                Files.writeString(dir.resolve("IMG_%04d.JPG".formatted(i)), "x");
            }
        }
        for (int i = 0; i < 30; i++) { // files listed before and after the one subfolder
            Files.writeString(root.resolve("jobs/ACME/note" + i + ".txt"), "x");
        }
        Files.createDirectories(root.resolve("jobs/ACME/day1/sub/deeper"));
        Files.createDirectories(root.resolve(".hidden/inside"));
        Files.createSymbolicLink(root.resolve("link"), root.resolve("2023"));
        Files.writeString(root.resolve("top.wav"), "x");
    }

    private List<Path> walked(Predicate<Path> excluded, boolean countsTrusted) throws IOException {
        List<Path> folders = new ArrayList<>();
        FolderWalk.folders(root, excluded, folders::add, countsTrusted);
        return folders;
    }

    /** What Files.walkFileTree visits (links not followed), the walk this one replaces. */
    private List<Path> everyFolder(Predicate<Path> excluded) throws IOException {
        List<Path> folders = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (excluded.test(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                folders.add(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        return folders;
    }

    @Test
    void findsTheSameFoldersAsAWalkOfEveryEntryWhetherLinkCountsAreTrustedOrNot() throws IOException {
        makeATree();
        Predicate<Path> hidden = dir -> dir.getFileName().toString().startsWith(".");

        List<Path> expected = everyFolder(hidden);
        assertThat(expected).hasSize(12).doesNotContain(root.resolve("link"), root.resolve(".hidden"));
        assertThat(walked(hidden, true)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(walked(hidden, false)).containsExactlyInAnyOrderElementsOf(expected);
        List<Path> detected = new ArrayList<>();
        FolderWalk.folders(root, hidden, detected::add);
        assertThat(detected).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void reportsAFolderBeforeTheFoldersBelowItAndLeavesOutAnExcludedOneWithAllBelowIt() throws IOException {
        makeATree();
        List<Path> folders = walked(dir -> dir.endsWith("jobs/ACME/day1"), true);

        assertThat(folders).doesNotContain(root.resolve("jobs/ACME/day1"), root.resolve("jobs/ACME/day1/sub"));
        assertThat(folders.indexOf(root.resolve("2023"))).isLessThan(folders.indexOf(root.resolve("2023/06 lisbon")));
        assertThat(folders.get(0)).isEqualTo(root);
    }
}

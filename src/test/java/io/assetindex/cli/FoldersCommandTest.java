package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code folders}, and {@code --folder} of list, search and similar, on real files indexed by
 * {@code scan}: a pool and a jobs root, browsed one level at a time. One workspace is indexed once
 * and only read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FoldersCommandTest {
    private InProcess cli;

    @BeforeAll
    void indexAPoolAndAJobsRoot(@TempDir Path workspace) throws Exception {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n");
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("aerial/2024/coast.jpg"), 64, 48, 1);
        TestMedia.jpeg(raw.resolve("aerial/2024/cliffs.jpg"), 64, 48, 2);
        TestMedia.jpeg(raw.resolve("aerial/50%/field.jpg"), 64, 48, 3);
        TestMedia.jpeg(raw.resolve("top.jpg"), 64, 48, 4);
        Path jobs = workspace.resolve("jobs");
        TestMedia.jpeg(jobs.resolve("ACME-042/drone.jpg"), 64, 48, 5);
        TestMedia.jpeg(jobs.resolve("ACME-042/shots/take1.jpg"), 64, 48, 6);
        TestMedia.jpeg(jobs.resolve("BETA-7/still.jpg"), 64, 48, 7);
        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
    }

    private List<String> lines(String... args) {
        InProcess.Run run = cli.run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run.out().lines().toList();
    }

    private JsonNode json(String... args) {
        InProcess.Run run = cli.run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.json();
    }

    @Test
    void withoutAFolderItListsTheWatchPathsWithTheirAssets() {
        assertThat(lines("folders")).containsExactly("4  raw_assets/", "3  jobs/", "7 assets under the watch paths");
    }

    @Test
    void aFolderListsTheFoldersBelowItWithTheAssetsUnderEach() {
        assertThat(lines("folders", "raw_assets")).containsExactly("3  aerial/",
                "4 assets under raw_assets; 1 file directly in it");
        assertThat(lines("folders", "raw_assets/aerial/")).containsExactly("2  2024/", "1  50%/",
                "3 assets under raw_assets/aerial; 0 files directly in it");
    }

    @Test
    void theFirstFoldersOfAJobsRootAreMarkedAsJobs() {
        assertThat(lines("folders", "jobs")).containsExactly("2  ACME-042/  job", "1  BETA-7/    job",
                "3 assets under jobs; 0 files directly in it");
        assertThat(lines("folders", "jobs/ACME-042")).containsExactly("1  shots/",
                "2 assets under jobs/ACME-042; 1 file directly in it");
    }

    @Test
    void jsonIsTheDocumentOfTheFolder() {
        JsonNode document = json("folders", "jobs", "--json");
        assertThat(fieldNames(document)).containsExactly("root", "folder", "jobs_root", "folders", "files_here",
                "assets_under");
        assertThat(document.get("jobs_root").asBoolean()).isTrue();
        assertThat(document.at("/folders/0/job").asText()).isEqualTo("ACME-042");
        assertThat(fieldNames(document.at("/folders/0"))).containsExactly("name", "root", "folder", "path", "assets",
                "job");
        assertThat(json("folders", "raw_assets/aerial/50%", "--json").get("folder").asText()).isEqualTo("aerial/50%");
    }

    @Test
    void listSearchAndSimilarTakeAFolderOfTheRoot() {
        assertThat(paths(json("list", "--root", "raw_assets", "--folder", "aerial", "--json")))
                .containsExactlyInAnyOrder("raw_assets/aerial/2024/coast.jpg", "raw_assets/aerial/2024/cliffs.jpg",
                        "raw_assets/aerial/50%/field.jpg");
        assertThat(paths(json("search", "picture", "--root", "raw_assets", "--folder", "aerial/50%", "--json")))
                .containsExactly("raw_assets/aerial/50%/field.jpg");
        assertThat(paths(json("similar", "raw_assets/top.jpg", "--root", "jobs", "--folder", "ACME-042", "--json")))
                .containsExactlyInAnyOrder("jobs/ACME-042/drone.jpg", "jobs/ACME-042/shots/take1.jpg");
    }

    @Test
    void aRootOrFolderThatIsNotThereIsRefusedWithWhatThereIs() {
        InProcess.Run unknownRoot = cli.run("folders", "nowhere/aerial");
        assertThat(unknownRoot.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknownRoot.err()).isEqualTo("asset-index: root nowhere is not a watch path; the watch paths are:"
                + " raw_assets, jobs\n");
        InProcess.Run unknownFolder = cli.run("folders", "raw_assets/aerial/2099");
        assertThat(unknownFolder.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknownFolder.err()).startsWith("asset-index: no folder aerial/2099 in watch path raw_assets");
        InProcess.Run climbing = cli.run("folders", "raw_assets/../jobs");
        assertThat(climbing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(climbing.err()).startsWith("asset-index: folder must not have '.' or '..' in it");
        InProcess.Run noRoot = cli.run("list", "--folder", "aerial");
        assertThat(noRoot.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noRoot.err()).isEqualTo("asset-index: --folder needs a root: the watch path the folder is in\n");
        assertThat(noRoot.out()).isEmpty();
    }

    private static List<String> paths(JsonNode page) {
        List<String> paths = new ArrayList<>();
        page.get("results").forEach(result -> result.get("paths").forEach(path -> paths.add(path.asText())));
        return paths;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

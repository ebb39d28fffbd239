package io.assetindex.cli;

import static io.assetindex.cli.InProcess.firstPaths;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyword and hybrid search on real scanned files: exact words of names, jobs, cameras and
 * transcripts find their file first; phrases, exclusions, modes, orders and filters; the keyword
 * index follows moves, deletions and new analysis results, written by the triggers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeywordSearchTest {
    private Path workspace;
    private Path raw;
    private InProcess cli;
    private Path database;

    @BeforeAll
    void indexAWorkspace(@TempDir Path dir) throws IOException {
        workspace = dir;
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n");
        raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("aerial/DJI_0042.JPG"), 320, 240, 1);
        TestMedia.jpeg(raw.resolve("aerial/DJI_0043.JPG"), 320, 240, 2);
        TestMedia.jpeg(raw.resolve("holiday/beach_sunset_waves.jpg"), 640, 480, 3);
        TestMedia.jpeg(raw.resolve("holiday/myKayakTrip.jpg"), 640, 480, 4);
        TestMedia.fixture("exif.jpg", raw.resolve("cameras/portrait.jpg")); // Canon EOS R5 in its EXIF
        TestMedia.wav(raw.resolve("interviews/farmer_interview.wav"), 3.0, 5);
        TestMedia.jpeg(workspace.resolve("jobs/ACME-042/take_01.jpg"), 320, 240, 6);
        for (int i = 1; i <= 10; i++) {
            TestMedia.jpeg(raw.resolve("misc/photo_%02d.jpg".formatted(i)), 64, 48, 100 + i);
        }
        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        database = workspace.resolve(".asset_index/index.db");
        // What AI models would have found (written as re-analysis writes them: the triggers index it).
        SqliteFile.execute(database, "UPDATE assets SET summary = 'An old farmer talks about the harvest and rain.',"
                + " transcript = 'We planted barley in March. The rain came late this year.',"
                + " tags_json = '[\"farm\", \"interview\"]' WHERE file_name = 'farmer_interview.wav'");
        SqliteFile.execute(database, "INSERT INTO analysis_cache (asset_id, analyzer, config_hash, result_json,"
                + " duration_ms, created_at) SELECT id, 'transcribe', 'test', ?, 1, '2026-01-01T00:00:00.000Z' FROM assets"
                + " WHERE file_name = 'farmer_interview.wav'", """
                {"transcript": "We planted barley in March. The rain came late this year.", "segments": [
                 {"start_seconds": 0.0, "end_seconds": 1.4, "text": "We planted barley in March."},
                 {"start_seconds": 1.4, "end_seconds": 3.0, "text": "The rain came late this year."}]}""");
        SqliteFile.execute(database, "UPDATE assets SET summary = 'Waves roll onto a sandy beach at sunset.',"
                + " tags_json = '[\"sea\", \"sunset\"]' WHERE file_name = 'beach_sunset_waves.jpg'");
    }

    @Test
    void exactWordsFindTheirFileFirstInEveryMode() {
        for (String mode : List.of("hybrid", "keyword")) {
            assertThat(firstPaths(cli.search("DJI_0042", "--mode", mode))).first()
                    .isEqualTo("raw_assets/aerial/DJI_0042.JPG");
            assertThat(firstPaths(cli.search("dji_0043", "--mode", mode))).first()
                    .isEqualTo("raw_assets/aerial/DJI_0043.JPG");
            assertThat(firstPaths(cli.search("ACME-042", "--mode", mode))).first()
                    .isEqualTo("jobs/ACME-042/take_01.jpg");
            assertThat(firstPaths(cli.search("EOS R5", "--mode", mode))).first()
                    .isEqualTo("raw_assets/cameras/portrait.jpg");
            assertThat(firstPaths(cli.search("kayak", "--mode", mode))).first()
                    .isEqualTo("raw_assets/holiday/myKayakTrip.jpg");
        }
        JsonNode both = cli.search("dji");
        assertThat(firstPaths(both).subList(0, 2)).containsExactlyInAnyOrder("raw_assets/aerial/DJI_0042.JPG",
                "raw_assets/aerial/DJI_0043.JPG");
        assertThat(both.path("mode").asText()).isEqualTo("hybrid");
    }

    @Test
    void eachResultSaysWhyItMatchedAndATranscriptHitWhereTheWordIsSaid() {
        JsonNode first = cli.search("\"rain came late\"").get("results").get(0);
        assertThat(first.at("/paths/0").asText()).isEqualTo("raw_assets/interviews/farmer_interview.wav");
        assertThat(first.at("/matched/fields")).extracting(JsonNode::asText).contains("transcript");
        assertThat(first.at("/matched/snippet").asText()).contains("The [rain came late] this year");
        assertThat(first.at("/matched/transcript_start_seconds").asDouble()).isEqualTo(1.4);
        assertThat(first.path("weak").asBoolean()).isFalse();

        JsonNode camera = cli.search("canon", "--mode", "keyword").get("results").get(0);
        assertThat(camera.at("/matched/fields")).extracting(JsonNode::asText).containsExactly("camera");
        JsonNode meaning = cli.search("waves on the shore", "--mode", "semantic").get("results").get(0);
        assertThat(meaning.at("/matched/fields")).extracting(JsonNode::asText).containsExactly("meaning");
        assertThat(meaning.get("distance").isNumber()).isTrue();

        InProcess.Run text = cli.run("search", "\"rain came late\"", "--limit", "1");
        assertThat(text.out()).contains("transcript @1.4s").contains("raw_assets/interviews/farmer_interview.wav")
                .contains("[rain came late]");
    }

    @Test
    void phrasesMustBeWholeAndExcludedWordsLeaveTheirFilesOut() {
        assertThat(firstPaths(cli.search("\"late rain\"", "--mode", "keyword"))).isEmpty();
        assertThat(firstPaths(cli.search("sunset", "--mode", "keyword"))).containsExactly("raw_assets/holiday/beach_sunset_waves.jpg");
        assertThat(firstPaths(cli.search("sunset -beach", "--mode", "keyword"))).isEmpty();
        assertThat(firstPaths(cli.search("sunset -beach"))).doesNotContain("raw_assets/holiday/beach_sunset_waves.jpg");
        assertThat(firstPaths(cli.search("dji -0042", "--mode", "keyword")))
                .containsExactly("raw_assets/aerial/DJI_0043.JPG");
        // As typed in a shell: the excluded word is a word of the query, not an option.
        InProcess.Run typed = cli.run("search", "dji", "-0042", "--mode", "keyword", "--json");
        assertThat(typed.exitCode()).as(typed.err()).isZero();
        assertThat(firstPaths(typed.json())).containsExactly("raw_assets/aerial/DJI_0043.JPG");
    }

    @Test
    void filtersApplyInEveryModeAndResultsCanBeOrderedByOtherThanRelevance() {
        assertThat(firstPaths(cli.search("dji", "--mode", "keyword", "--path", "0043"))).containsExactly(
                "raw_assets/aerial/DJI_0043.JPG");
        assertThat(firstPaths(cli.search("farmer", "--type", "image", "--mode", "keyword"))).isEmpty();
        assertThat(firstPaths(cli.search("ACME", "--root", "raw_assets", "--mode", "keyword"))).isEmpty();
        JsonNode bySize = cli.search("dji", "--mode", "keyword", "--sort", "name");
        assertThat(firstPaths(bySize))
                .containsExactly("raw_assets/aerial/DJI_0042.JPG", "raw_assets/aerial/DJI_0043.JPG");
        assertThat(bySize.path("sort").asText()).isEqualTo("name");

        // What FTS5 would read as its own syntax is only words here.
        for (String hostile : List.of("\" OR NEAR(dji 0042) * ^name: -", "dji AND", "{name}: dji", "\"\"\"", "*")) {
            InProcess.Run run = cli.run("search", hostile, "--mode", "keyword", "--json");
            assertThat(run.exitCode()).as(hostile + ": " + run.err()).isIn(ExitCode.OK, 1);
            assertThat(run.err()).as(hostile).doesNotContain("SQL", "fts5");
        }
        assertThat(firstPaths(cli.search("{name}: dji", "--mode", "keyword"))).hasSize(2);

        InProcess.Run bad = cli.run("search", "x", "--mode", "fuzzy");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("--mode").contains("hybrid, keyword, semantic");
        InProcess.Run onlyExcluded = cli.run("search", "-x", "--mode", "keyword");
        assertThat(onlyExcluded.exitCode()).isEqualTo(1);
        assertThat(onlyExcluded.err()).contains("a keyword search needs a word");
    }

    @Test
    void resultsFarBelowTheBestAreMarkedWeakNotCut() {
        JsonNode results = cli.search("DJI_0042", "--limit", "20").get("results");
        assertThat(results.get(0).path("weak").asBoolean()).isFalse();
        assertThat(results.size()).isGreaterThan(1);
        assertThat(results).anyMatch(result -> result.path("weak").asBoolean());
    }

    @Test
    void theKeywordIndexFollowsMovesDeletionsAndNewResults() throws IOException {
        Path moved = raw.resolve("renamed/ZebraCrossing.jpg");
        Files.createDirectories(moved.getParent());
        TestMedia.jpeg(raw.resolve("misc/lonely.jpg"), 64, 48, 999);
        assertThat(cli.run("scan").exitCode()).isZero();
        Files.move(raw.resolve("misc/lonely.jpg"), moved);
        assertThat(cli.run("scan").exitCode()).isZero();
        assertThat(firstPaths(cli.search("zebra", "--mode", "keyword")))
                .containsExactly("raw_assets/renamed/ZebraCrossing.jpg");
        assertThat(firstPaths(cli.search("lonely", "--mode", "keyword"))).isEmpty();
        assertThat(firstPaths(cli.search("renamed", "--mode", "keyword"))).containsExactly("raw_assets/renamed/ZebraCrossing.jpg");

        SqliteFile.execute(database, "UPDATE assets SET summary = 'A zebra crossing in Utrecht' WHERE file_name ="
                + " 'lonely.jpg'");
        assertThat(firstPaths(cli.search("utrecht", "--mode", "keyword"))).containsExactly("raw_assets/renamed/ZebraCrossing.jpg");

        Files.delete(moved);
        InProcess.Run afterDelete = cli.run("scan");
        assertThat(afterDelete.exitCode()).isZero();
        assertThat(afterDelete.out()).contains("1 deleted");
        assertThat(firstPaths(cli.search("zebra", "--mode", "keyword"))).isEmpty();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets_fts")).isEqualTo(
                SqliteFile.count(database, "SELECT count(*) FROM assets"));
    }
}

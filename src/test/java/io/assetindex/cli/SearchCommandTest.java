package io.assetindex.cli;

import static io.assetindex.cli.InProcess.firstPaths;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Ffmpeg;
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
 * {@code search} and {@code similar} on real files embedded by the local model, as a user runs
 * them. One workspace is indexed once and only read by the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchCommandTest {
    private static final int FILLERS = 12;

    private Path workspace;
    private InProcess cli;
    private Path database;

    @BeforeAll
    void indexAWorkspace(@TempDir Path dir) throws IOException {
        workspace = dir;
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n");
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("holiday/beach_sunset_waves.jpg"), 640, 480, 1);
        Files.createDirectories(raw.resolve("holiday/copies"));
        Files.copy(raw.resolve("holiday/beach_sunset_waves.jpg"), raw.resolve("holiday/copies/beach_sunset_waves.jpg"));
        TestMedia.jpeg(raw.resolve("office/invoice_scan_march.jpg"), 480, 640, 2);
        TestMedia.jpeg(raw.resolve("office/receipt_scan.jpg"), 400, 600, 3);
        TestMedia.wav(raw.resolve("music/piano_lullaby.wav"), 2.0, 4);
        for (int i = 1; i <= FILLERS; i++) {
            TestMedia.jpeg(raw.resolve("misc/photo_%02d.jpg".formatted(i)), 64, 48, 100 + i);
        }
        Path job = workspace.resolve("jobs/ACME-042");
        Ffmpeg.clip(job.resolve("drone_shot_over_the_coast.mp4"), 320, 240, 1.0, false, 5);
        TestMedia.wav(job.resolve("voice_over_pricing.wav"), 6.0, 6);

        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        database = workspace.resolve(".asset_index/index.db");
        // What an AI describer (a later stage) would have found; the filter reads it from the index.
        SqliteFile.execute(database, "UPDATE assets SET tags_json = '[\"sea\", \"sunset\"]', mood_json = '[\"Calm\"]'"
                + " WHERE file_name = 'beach_sunset_waves.jpg'");
    }

    private static int rankOf(JsonNode document, String pathPart) {
        for (JsonNode result : document.get("results")) {
            for (JsonNode path : result.get("paths")) {
                if (path.asText().contains(pathPart)) {
                    return result.get("rank").asInt();
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aQueryAboutTheBeachFindsTheBeachPhotoBeforeTheInvoiceScan() {
        JsonNode beach = cli.search("a sunny day at the beach", "--limit", "20");
        assertThat(firstPaths(beach).get(0)).endsWith("beach_sunset_waves.jpg");
        assertThat(rankOf(beach, "beach_sunset_waves")).isLessThan(rankOf(beach, "invoice_scan_march"));

        assertThat(firstPaths(cli.search("invoice scan")).get(0)).isEqualTo("raw_assets/office/invoice_scan_march.jpg");
        assertThat(firstPaths(cli.search("drone shot over the coast")).get(0))
                .isEqualTo("jobs/ACME-042/drone_shot_over_the_coast.mp4");
        assertThat(firstPaths(cli.search("voice over about pricing")).get(0)).isEqualTo("jobs/ACME-042/voice_over_pricing.wav");
    }

    @Test
    void resultsCarryDistanceTypeFactsAndEveryLivePath() {
        JsonNode document = cli.search("beach sunset");
        assertThat(document.get("query").asText()).isEqualTo("beach sunset");
        assertThat(document.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(document.get("metric").asText()).isEqualTo("cosine");
        assertThat(document.get("searched").asInt()).isEqualTo(FILLERS + 6);
        JsonNode first = document.at("/results/0");
        assertThat(first.get("rank").asInt()).isEqualTo(1);
        assertThat(first.get("id").asText()).hasSize(64);
        assertThat(first.get("distance").asDouble()).isBetween(0.0, 1.0);
        assertThat(first.get("media_type").asText()).isEqualTo("image");
        assertThat(first.get("width").asInt()).isEqualTo(640);
        assertThat(first.get("tags")).extracting(JsonNode::asText).containsExactly("sea", "sunset");
        assertThat(first.get("paths")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "raw_assets/holiday/beach_sunset_waves.jpg", "raw_assets/holiday/copies/beach_sunset_waves.jpg");

        InProcess.Run human = cli.run("search", "beach", "sunset", "--limit", "3", "--mode", "semantic");
        assertThat(human.exitCode()).isZero();
        List<String> lines = human.out().lines().toList();
        assertThat(lines.get(0)).contains("#", "MATCHED", "TYPE", "SIZE", "DURATION", "PATH");
        assertThat(lines.get(1)).matches("1\\s+meaning 0\\.\\d{3}\\s+image\\s+640x480\\s+-\\s+raw_assets/holiday/.*beach_sunset_waves.jpg");
        assertThat(lines.get(2).strip()).startsWith("raw_assets/holiday/").endsWith("beach_sunset_waves.jpg");
        assertThat(lines).hasSize(5);
    }

    @Test
    void filtersApplyBeforeTheTopN() {
        JsonNode misc = cli.search("beach sunset", "--path", "MISC/", "--limit", "10");
        assertThat(firstPaths(misc)).hasSize(10).allMatch(path -> path.startsWith("raw_assets/misc/photo_"));
        assertThat(misc.get("searched").asInt()).isEqualTo(FILLERS);

        assertThat(firstPaths(cli.search("music", "--type", "audio")))
                .containsExactlyInAnyOrder("raw_assets/music/piano_lullaby.wav", "jobs/ACME-042/voice_over_pricing.wav");
        assertThat(firstPaths(cli.search("music", "--min-duration", "4")))
                .containsExactly("jobs/ACME-042/voice_over_pricing.wav");
        assertThat(firstPaths(cli.search("music", "--max-duration", "3")))
                .containsExactlyInAnyOrder("raw_assets/music/piano_lullaby.wav", "jobs/ACME-042/drone_shot_over_the_coast.mp4");
        assertThat(firstPaths(cli.search("photo", "--min-width", "600")))
                .containsExactly("raw_assets/holiday/beach_sunset_waves.jpg");
        assertThat(firstPaths(cli.search("photo", "--min-height", "600")))
                .containsExactlyInAnyOrder("raw_assets/office/invoice_scan_march.jpg", "raw_assets/office/receipt_scan.jpg");
        assertThat(firstPaths(cli.search("photo", "--min-width", "300", "--max-duration", "100")))
                .containsExactly("jobs/ACME-042/drone_shot_over_the_coast.mp4");
        assertThat(firstPaths(cli.search("anything", "--root", "jobs")))
                .containsExactlyInAnyOrder("jobs/ACME-042/drone_shot_over_the_coast.mp4", "jobs/ACME-042/voice_over_pricing.wav");
        assertThat(firstPaths(cli.search("anything", "--job", "ACME-042", "--type", "video")))
                .containsExactly("jobs/ACME-042/drone_shot_over_the_coast.mp4");
        assertThat(firstPaths(cli.search("anything", "--tag", "harbour", "--tag", "calm")))
                .containsExactly("raw_assets/holiday/beach_sunset_waves.jpg");
        assertThat(cli.search("anything", "--job", "NOPE-1").get("results")).isEmpty();
        assertThat(cli.run("search", "anything", "--job", "NOPE-1").out()).isEqualTo("no matches among 0 assets\n");
    }

    @Test
    void pagesFollowEachOther() {
        JsonNode all = cli.search("holiday photo", "--limit", "12");
        JsonNode second = cli.search("holiday photo", "--limit", "4", "--offset", "4");
        assertThat(second.get("results")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(second.at("/results/" + i + "/id")).isEqualTo(all.at("/results/" + (4 + i) + "/id"));
            assertThat(second.at("/results/" + i + "/rank").asInt()).isEqualTo(5 + i);
        }
        assertThat(cli.search("holiday photo", "--offset", "100").get("results")).isEmpty();
    }

    @Test
    void l2RanksLikeCosineForTheLocalModelsUnitVectors() {
        JsonNode cosine = cli.search("invoice scan", "--limit", "8");
        JsonNode l2 = cli.search("invoice scan", "--limit", "8", "--metric", "l2");
        assertThat(l2.get("metric").asText()).isEqualTo("l2");
        for (int i = 0; i < 8; i++) {
            assertThat(l2.at("/results/" + i + "/id")).isEqualTo(cosine.at("/results/" + i + "/id"));
            double c = cosine.at("/results/" + i + "/distance").asDouble();
            assertThat(l2.at("/results/" + i + "/distance").asDouble()).isCloseTo(Math.sqrt(2 * c), within(1e-4));
        }
    }

    @Test
    void similarNeverReturnsItselfOrTheExcluded() {
        String invoiceId = (String) SqliteFile.value(database, "SELECT id FROM assets WHERE file_name = ?",
                "invoice_scan_march.jpg");
        InProcess.Run run = cli.run("similar", "raw_assets/holiday/copies/beach_sunset_waves.jpg", "--json", "--limit", "50");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode similar = run.json();
        String beachId = similar.get("similar_to").asText();
        assertThat(similar.get("results")).hasSize(FILLERS + 5)
                .noneMatch(result -> result.get("id").asText().equals(beachId));
        assertThat(rankOf(similar, "invoice_scan_march")).isLessThan(Integer.MAX_VALUE);

        JsonNode excluding = cli.run("similar", beachId.substring(0, 10), "--exclude", invoiceId,
                "--exclude", "raw_assets/office/receipt_scan.jpg", "--json").json();
        assertThat(excluding.get("excluded")).hasSize(2);
        assertThat(firstPaths(excluding)).doesNotContain("raw_assets/office/invoice_scan_march.jpg",
                "raw_assets/office/receipt_scan.jpg", "raw_assets/holiday/beach_sunset_waves.jpg");

        assertThat(firstPaths(cli.run("similar", "raw_assets/office/invoice_scan_march.jpg", "--json", "--limit", "1")
                .json())).containsExactly("raw_assets/office/receipt_scan.jpg");
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        InProcess.Run limit = cli.run("search", "beach", "--limit", "0");
        assertThat(limit.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(limit.err()).contains("limit must be 1 to 10000");
        InProcess.Run type = cli.run("search", "beach", "--type", "document");
        assertThat(type.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(type.err()).contains("--type", "image, video, audio");
        InProcess.Run unknown = cli.run("similar", "raw_assets/nope.jpg");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknown.err()).contains("nope.jpg");
        InProcess.Run root = cli.run("search", "beach", "--root", "nowhere");
        assertThat(root.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(root.err()).contains("root nowhere is not a watch path; the watch paths are: raw_assets, jobs");
        InProcess.Run blank = cli.run("search", " ");
        assertThat(blank.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}

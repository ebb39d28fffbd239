package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.DngFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code integrity}: the files judged corrupt (not indexed) and the indexed ones with warnings,
 * on real files: a cut JPEG and a cut DNG are corrupt, a NEF without a preview has a warning;
 * filters, paging, JSON, the counts in {@code status}, and a corrupt file that is deleted is no
 * longer listed.
 */
class IntegrityCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;

    @BeforeEach
    void scanDamagedFiles() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\n");
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 1);
        TestMedia.write(workspace.resolve("raw_assets/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        byte[] dng = new DngFile(400, 300).preview(200, 150, 2).bytes();
        TestMedia.write(workspace.resolve("jobs/cut.dng"), Arrays.copyOf(dng, dng.length * 2 / 3));
        new DngFile(400, 300).write(workspace.resolve("raw_assets/no_preview.nef"));
        TestMedia.jpeg(workspace.resolve("raw_assets/fine.jpg"), 320, 240, 3);
        cli = new InProcess(workspace);
        assertThat(cli.json("scan").path("failed").asInt()).isEqualTo(2);
    }

    @Test
    void listsCorruptFilesThenWarningsWithToolReasonAndTimes() {
        JsonNode document = cli.json("integrity");
        assertThat(document.path("corrupt").asInt()).isEqualTo(2);
        assertThat(document.path("warnings").asInt()).isEqualTo(1);
        JsonNode findings = document.get("findings");
        assertThat(findings).extracting(f -> f.path("verdict").asText()).containsExactly("corrupt", "corrupt", "warning");
        assertThat(findings).extracting(f -> f.path("path").asText())
                .containsExactlyInAnyOrder("raw_assets/cut.jpg", "jobs/cut.dng", "raw_assets/no_preview.nef");
        JsonNode warning = findings.get(2);
        assertThat(warning.path("path").asText()).isEqualTo("raw_assets/no_preview.nef");
        assertThat(warning.path("indexed").asBoolean()).isTrue();
        assertThat(warning.path("media_type").asText()).isEqualTo("image");
        assertThat(warning.path("details").asText()).contains("no embedded JPEG preview");
        assertThat(warning.path("since").asText()).isNotBlank();
        for (JsonNode corrupt : findings) {
            if (corrupt.path("verdict").asText().equals("corrupt")) {
                assertThat(corrupt.path("indexed").asBoolean()).isFalse();
                assertThat(corrupt.path("present").asBoolean()).isTrue();
                assertThat(corrupt.path("tool").asText()).isNotBlank();
                assertThat(corrupt.path("checked_at").asText()).isNotBlank();
                assertThat(corrupt.path("since").asText()).isNotBlank();
            }
        }
        assertThat(cli.json("integrity").toString()).doesNotContain("fine.jpg");

        InProcess.Run text = cli.run("integrity");
        assertThat(text.out()).contains("VERDICT").contains("raw_assets/cut.jpg").contains("ImageIO")
                .contains("2 corrupt, 1 with warnings");
    }

    @Test
    void filtersByWatchPathAndTypeAndPages() {
        assertThat(cli.json("integrity", "--root", "jobs").get("findings")).extracting(f -> f.path("path").asText())
                .containsExactly("jobs/cut.dng");
        assertThat(cli.json("integrity", "--type", "video").path("total").asInt()).isZero();
        assertThat(cli.run("integrity", "--type", "video").out()).contains("no file judged corrupt or with warnings");
        JsonNode page = cli.json("integrity", "--limit", "1", "--offset", "2");
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.get("findings")).extracting(f -> f.path("verdict").asText()).containsExactly("warning");
    }

    @Test
    void statusCountsThemAndADeletedCorruptFileIsNoLongerListed() throws IOException {
        assertThat(cli.json("status").at("/counts/corrupt_files").asInt()).isEqualTo(2);
        assertThat(cli.json("status").at("/counts/warning_files").asInt()).isEqualTo(1);
        assertThat(cli.run("status").out()).contains("2 corrupt, 1 with warnings");

        Files.delete(workspace.resolve("raw_assets/cut.jpg"));
        cli.run("scan");
        assertThat(cli.json("integrity").get("findings")).extracting(f -> f.path("path").asText())
                .doesNotContain("raw_assets/cut.jpg");
    }
}

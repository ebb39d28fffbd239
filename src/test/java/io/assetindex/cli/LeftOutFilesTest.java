package io.assetindex.cli;

import static io.assetindex.cli.InProcess.doctorFinding;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent skips: files under a watch path that are not indexed because the config does not list
 * their extension are counted by a scan and shown by {@code scan}, {@code status} and
 * {@code doctor}, with the config line that would index the media ones; files skipped on purpose
 * (hidden, partial downloads, lock files, ignored, no extension) are not.
 */
class LeftOutFilesTest {
    /** The extensions listed here, whatever the built-in defaults list. */
    private static final String CONFIG = """
            ignore: [proxies]
            extensions:
              image: [jpg]
              video: [mp4]
              audio: [wav, ogg%s]
            """;

    @TempDir
    Path workspace;

    private InProcess cli;

    @BeforeEach
    void dropInSoundsNobodyListed() throws IOException {
        configure("");
        TestMedia.wav(raw("tone.wav"), 0.2, 1);
        TestMedia.fixture("tone.ogg", raw("sounds/bell.oga"));
        TestMedia.fixture("tone.ogg", raw("sounds/chime.oga"));
        TestMedia.fixture("tone.ogg", raw("sounds/deep/gong.OGA"));
        TestMedia.write(raw("notes.txt"), "shot list".getBytes());
        TestMedia.write(raw("sounds/credits.txt"), "freedesktop".getBytes());
        // Skipped on purpose: never counted.
        TestMedia.fixture("tone.ogg", raw(".hidden.oga"));
        TestMedia.fixture("tone.ogg", raw(".cache/cached.oga"));
        TestMedia.fixture("tone.ogg", raw("sounds/download.oga.part"));
        TestMedia.write(raw("sounds/~$bell.oga"), new byte[] {1});
        TestMedia.fixture("tone.ogg", raw("proxies/proxy.oga"));
        TestMedia.write(raw("README"), "read me".getBytes());
        cli = new InProcess(workspace);
    }

    private void configure(String moreAudio) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), CONFIG.formatted(moreAudio));
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    @Test
    void scanCountsFilesLeftOutByExtensionWithAnExampleAndTheConfigThatIndexesTheMediaOnes() {
        InProcess.Run scan = cli.run("scan");

        assertThat(scan.exitCode()).isZero();
        assertThat(scan.out()).startsWith("scan: 1 files: 1 indexed")
                .contains("left out (extension not indexed): 3 .oga (e.g. raw_assets/sounds/", "2 .txt (e.g. raw_assets/",
                        "\n  to index .oga, set extensions: {audio: [ogg, wav, oga]} in asset-index.yaml\n")
                .doesNotContain("hidden", "cache", ".part", "~$", "proxies", "README");

        JsonNode leftOut = cli.json("scan").get("left_out");
        assertThat(leftOut.get("files").asLong()).isEqualTo(5);
        assertThat(leftOut.get("other_files").asLong()).isZero();
        assertThat(leftOut.get("config").asText()).isEqualTo("extensions: {audio: [ogg, wav, oga]}");
        assertThat(leftOut.get("extensions").size()).isEqualTo(2);
        JsonNode oga = leftOut.at("/extensions/oga");
        assertThat(oga.get("files").asLong()).isEqualTo(3);
        assertThat(oga.get("media_type").asText()).isEqualTo("audio");
        assertThat(oga.get("example").asText()).matches("raw_assets/sounds/(bell\\.oga|chime\\.oga|deep/gong\\.OGA)");
        JsonNode txt = leftOut.at("/extensions/txt");
        assertThat(txt.get("files").asLong()).isEqualTo(2);
        assertThat(txt.get("media_type").isNull()).as("no known media format: no suggestion").isTrue();
    }

    @Test
    void statusAndDoctorShowWhatTheLastWholeScanLeftOutWithTheConfigLine() {
        assertThat(cli.run("scan").exitCode()).isZero();

        InProcess.Run status = cli.run("status", "--local");
        assertThat(status.out()).containsPattern("left out +raw_assets: 3 \\.oga \\(e\\.g\\. raw_assets/sounds/")
                .contains("2 .txt (e.g. raw_assets/", "(extension not indexed; last whole scan 20")
                .contains("to index .oga, set extensions: {audio: [ogg, wav, oga]} in asset-index.yaml");
        JsonNode watchPath = cli.json("status", "--local").at("/watch_paths/0");
        assertThat(watchPath.at("/left_out/files").asLong()).isEqualTo(5);
        assertThat(watchPath.at("/left_out/extensions/oga/files").asLong()).isEqualTo(3);
        assertThat(watchPath.at("/left_out/config").asText()).isEqualTo("extensions: {audio: [ogg, wav, oga]}");
        assertThat(watchPath.get("left_out_counted_at").asText()).isNotEmpty();

        JsonNode doctor = doctorFinding(cli.run("doctor", "--json").json(), "left out");
        assertThat(doctor.get("status").asText()).isEqualTo("warn");
        assertThat(doctor.get("finding").asText()).startsWith("raw_assets: 3 .oga (e.g. raw_assets/sounds/")
                .contains("2 .txt");
        assertThat(doctor.get("advice").asText()).contains("set extensions: {audio: [ogg, wav, oga]} in asset-index.yaml");
        assertThat(cli.run("doctor").out()).contains("warn  left out      raw_assets: 3 .oga");
    }

    @Test
    void aScanOfAFolderReportsItsOwnFilesAndKeepsTheWatchPathsCount() {
        assertThat(cli.run("scan").exitCode()).isZero();

        JsonNode folder = cli.json("scan", workspace.resolve("raw_assets/sounds").toString()).get("left_out");
        assertThat(folder.get("files").asLong()).isEqualTo(4);
        assertThat(folder.at("/extensions/txt/example").asText()).isEqualTo("raw_assets/sounds/credits.txt");

        JsonNode watchPath = cli.json("status", "--local").at("/watch_paths/0/left_out");
        assertThat(watchPath.get("files").asLong()).as("the whole watch path's count stays").isEqualTo(5);
    }

    @Test
    void onceTheConfigListsTheExtensionTheNextScanIndexesThoseFilesAndTheReportGoesAway() throws IOException {
        assertThat(cli.run("scan").exitCode()).isZero();

        configure(", oga");
        JsonNode before = cli.json("status", "--local").at("/watch_paths/0/left_out");
        assertThat(before.get("extensions").has("oga")).as("listed now: no longer advised").isFalse();
        assertThat(before.get("config").isNull()).isTrue();

        JsonNode scan = cli.json("scan");
        assertThat(scan.get("indexed").asLong() + scan.get("linked").asLong()).isEqualTo(3);
        assertThat(scan.get("failed").asLong()).isZero();
        assertThat(scan.at("/left_out/files").asLong()).isEqualTo(2);
        assertThat(scan.at("/left_out/config").isNull()).isTrue();
        assertThat(cli.run("scan").out()).contains("left out (extension not indexed): 2 .txt").doesNotContain("to index");

        assertThat(cli.run("status", "--local").out()).doesNotContain(".oga").doesNotContain("to index");
        JsonNode doctor = doctorFinding(cli.run("doctor", "--json").json(), "left out");
        assertThat(doctor.get("status").asText()).isEqualTo("ok");
        assertThat(doctor.get("finding").asText()).contains("2 .txt").contains("none is a known media format");
    }

    @Test
    void aWatchPathWithNothingLeftOutShowsNoLineAndDoctorSaysSo() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "ignore: ['*.oga', '*.txt']\n");

        InProcess.Run scan = cli.run("scan");

        assertThat(scan.out()).doesNotContain("left out");
        assertThat(cli.json("scan").at("/left_out/files").asLong()).isZero();
        assertThat(cli.run("status", "--local").out()).doesNotContain("left out");
        JsonNode doctor = doctorFinding(cli.run("doctor", "--json").json(), "left out");
        assertThat(doctor.get("status").asText()).isEqualTo("ok");
        assertThat(doctor.get("finding").asText()).isEqualTo("raw_assets: no file left out for its extension by the"
                + " last whole scan");
    }
}

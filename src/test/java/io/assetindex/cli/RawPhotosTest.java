package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Cr3File;
import io.assetindex.testing.DngFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera RAW photos, on DNG files written as cameras write them ({@link DngFile}): the facts
 * from the metadata (camera, lens, exposure, capture time with offset, GPS, size as shown), the
 * thumbnail from the embedded preview turned as the file says, found by its camera; and the
 * integrity check that fits RAW: a cut copy and a damaged preview are corrupt, a file without a
 * preview is indexed with a warning, a text file named .dng and hostile structures are refused
 * with a clear reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawPhotosTest {
    private Path workspace;
    private InProcess cli;
    private JsonNode scan;

    @BeforeAll
    void scanRawFiles(@TempDir Path dir) throws IOException {
        workspace = dir;
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        Path raw = workspace.resolve("raw_assets");
        new DngFile(600, 400).orientation(6).preview(300, 200, 5).write(raw.resolve("DSCF0001.DNG"));
        byte[] whole = new DngFile(600, 400).preview(300, 200, 6).bytes();
        TestMedia.write(raw.resolve("cut_copy.dng"), Arrays.copyOf(whole, whole.length * 3 / 5));
        byte[] jpeg = TestMedia.jpegBytes(300, 200, 7);
        new DngFile(600, 400).previewBytes(Arrays.copyOf(jpeg, jpeg.length / 2), 300, 200)
                .write(raw.resolve("damaged_preview.dng"));
        new DngFile(640, 480).camera("NIKON CORPORATION", "NIKON Z 6", "NIKKOR Z 24-70mm f/4 S")
                .write(raw.resolve("no_preview.nef"));
        new Cr3File(6000, 4000).write(raw.resolve("IMG_0042.CR3"));
        Files.writeString(raw.resolve("notes.dng"), "not a photo at all\n");
        // An IFD that points to itself and declares more entries than the file holds.
        byte[] loop = new byte[64];
        System.arraycopy(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, (byte) 0xFF, (byte) 0xFF}, 0, loop, 0, 10);
        TestMedia.write(raw.resolve("hostile.arw"), loop);
        cli = new InProcess(workspace);
        scan = cli.json("scan");
    }

    private JsonNode probe(String name) {
        return asset(name).at("/raw_json/probe");
    }

    private JsonNode asset(String name) {
        return cli.json("show", "raw_assets/" + name).get("asset");
    }

    private String lastError(String name) {
        for (JsonNode failure : cli.json("failures").get("failures")) {
            if (failure.path("path").asText().equals("raw_assets/" + name)) {
                return failure.path("error").asText();
            }
        }
        throw new AssertionError(name + " did not fail");
    }

    @Test
    void aDngGivesItsFactsAndAThumbnailFromItsPreviewTurnedAsTheFileSays() {
        assertThat(scan.path("indexed").asInt()).as(scan.toString()).isEqualTo(3);
        JsonNode probe = probe("DSCF0001.DNG");
        assertThat(probe.path("format").asText()).isEqualTo("DNG");
        // The sensor's 600 x 400, turned a quarter (orientation 6): shown 400 x 600.
        assertThat(probe.path("width").asInt()).isEqualTo(400);
        assertThat(probe.path("height").asInt()).isEqualTo(600);
        assertThat(probe.path("pixel_width").asInt()).isEqualTo(600);
        assertThat(probe.path("camera_make").asText()).isEqualTo("FUJIFILM");
        assertThat(probe.path("camera_model").asText()).isEqualTo("X-T5");
        assertThat(probe.path("lens").asText()).isEqualTo("XF35mmF1.4 R");
        assertThat(probe.path("exposure_time").asText()).isEqualTo("1/250");
        assertThat(probe.path("f_number").asDouble()).isEqualTo(2.8);
        assertThat(probe.path("iso").asInt()).isEqualTo(400);
        assertThat(probe.path("focal_length_mm").asDouble()).isEqualTo(35.0);
        assertThat(probe.path("captured_at").asText()).isEqualTo("2024-05-01T12:34:56+02:00");
        assertThat(probe.at("/gps/latitude").asDouble()).isBetween(59.908, 59.909);
        assertThat(probe.at("/gps/longitude").asDouble()).isEqualTo(10.75);

        JsonNode raw = asset("DSCF0001.DNG").get("raw_json");
        assertThat(raw.at("/integrity/corrupt").asBoolean()).isFalse();
        assertThat(raw.at("/integrity/warning").asBoolean()).isFalse();
        assertThat(raw.at("/integrity/tool").asText()).contains("RAW");
        assertThat(raw.at("/thumbnail/source").asText()).isEqualTo("embedded preview");
        // The 300 x 200 preview, turned like the photo: portrait.
        assertThat(raw.at("/thumbnail/thumb_height").asInt()).isGreaterThan(raw.at("/thumbnail/thumb_width").asInt());
        assertThat(workspace.resolve(".asset_index").resolve(raw.at("/thumbnail/path").asText())).isRegularFile();
        assertThat(raw.at("/embed/embed_source").asText()).contains("FUJIFILM X-T5");
    }

    @Test
    void aCr3GivesItsFactsFromItsMetadataBoxesAndAThumbnailFromItsPreviewBox() {
        JsonNode raw = asset("IMG_0042.CR3").get("raw_json");
        JsonNode probe = raw.get("probe");
        assertThat(probe.path("format").asText()).isEqualTo("CR3");
        assertThat(probe.path("width").asInt()).isEqualTo(6000);
        assertThat(probe.path("height").asInt()).isEqualTo(4000);
        assertThat(probe.path("camera_model").asText()).isEqualTo("Canon EOS R6m2");
        assertThat(probe.path("lens").asText()).isEqualTo("RF24-70mm F2.8 L IS USM");
        assertThat(probe.path("exposure_time").asText()).isEqualTo("1/1000");
        assertThat(probe.path("iso").asInt()).isEqualTo(800);
        assertThat(probe.path("captured_at").asText()).isEqualTo("2025-08-14T18:02:03-04:00");
        assertThat(probe.at("/gps/longitude").asDouble()).isBetween(-73.99, -73.98);
        assertThat(raw.at("/integrity/corrupt").asBoolean()).isFalse();
        assertThat(raw.at("/integrity/warning").asBoolean()).isFalse();
        assertThat(raw.at("/thumbnail/thumb_width").asInt()).isEqualTo(256);
    }

    @Test
    void aRawPhotoIsFoundByItsCameraAndListedAsAnImage() {
        JsonNode first = cli.json("search", "X-T5", "--mode", "keyword").get("results").get(0);
        assertThat(first.at("/paths/0").asText()).isEqualTo("raw_assets/DSCF0001.DNG");
        assertThat(first.path("media_type").asText()).isEqualTo("image");
        assertThat(cli.json("search", "Z 6", "--mode", "keyword").at("/results/0/paths/0").asText())
                .isEqualTo("raw_assets/no_preview.nef");
    }

    @Test
    void aFileWithoutAPreviewIsIndexedWithAWarning() {
        JsonNode raw = asset("no_preview.nef").get("raw_json");
        assertThat(raw.at("/probe/format").asText()).isEqualTo("NEF");
        assertThat(raw.at("/probe/width").asInt()).isEqualTo(640);
        assertThat(raw.at("/integrity/corrupt").asBoolean()).isFalse();
        assertThat(raw.at("/integrity/warning").asBoolean()).isTrue();
        assertThat(raw.at("/integrity/details").asText()).contains("no embedded JPEG preview");
    }

    @Test
    void aCutCopyADamagedPreviewAMisnamedFileAndAHostileStructureAreRefusedWithTheirReason() {
        assertThat(scan.path("failed").asInt()).isEqualTo(4);
        assertThat(lastError("cut_copy.dng")).contains("corrupt").contains("past the end of the file");
        assertThat(lastError("damaged_preview.dng")).contains("corrupt").contains("preview is damaged");
        assertThat(lastError("notes.dng")).contains("not a readable image");
        assertThat(lastError("hostile.arw")).contains("corrupt").contains("past the end of the file");
    }
}

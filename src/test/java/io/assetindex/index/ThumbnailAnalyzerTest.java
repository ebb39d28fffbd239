package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails of real images and videos, checked by reading the JPEGs back. */
class ThumbnailAnalyzerTest {
    @TempDir
    Path dir;

    private Path dataDir() {
        return dir.resolve(".asset_index");
    }

    private ObjectNode thumbnail(Path file, MediaType type, int size) throws Exception {
        ObjectNode probe = new ProbeAnalyzer(Ffmpeg.TOOLS).analyze(new AnalysisInput(file, type, Files.size(file), "x"));
        ObjectNode earlier = Json.object();
        earlier.set(ProbeAnalyzer.NAME, probe);
        return new ThumbnailAnalyzer(Ffmpeg.TOOLS, dataDir(), size, 85).analyze(
                new AnalysisInput(file, type, Files.size(file), "x", earlier));
    }

    private BufferedImage read(ObjectNode result) throws Exception {
        Path jpeg = dataDir().resolve(result.get("path").asText());
        assertThat(jpeg).exists();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jpeg)));
        assertThat(result.get("sha256").asText()).isEqualTo(hash);
        assertThat(result.get("path").asText()).isEqualTo("thumbs/" + hash.substring(0, 2) + "/" + hash + ".jpg");
        return ImageIO.read(jpeg.toFile());
    }

    @Test
    void photoThumbnailHasItsLongestSideAtTheConfiguredSize() throws Exception {
        ObjectNode result = thumbnail(TestMedia.jpeg(dir.resolve("wide.jpg"), 1600, 900, 1), MediaType.IMAGE, 256);
        BufferedImage image = read(result);
        assertThat(image.getWidth()).isEqualTo(256);
        assertThat(image.getHeight()).isEqualTo(144);
        assertThat(result.get("thumb_width").asInt()).isEqualTo(256);
        assertThat(result.has("width")).as("never an asset column").isFalse();
        assertThat(result.get("source").asText()).isEqualTo("image");
    }

    @Test
    void smallImageIsNotEnlarged() throws Exception {
        BufferedImage image = read(thumbnail(TestMedia.image(dir.resolve("small.png"), "png", 100, 50, 2),
                MediaType.IMAGE, 256));
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(50);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        BufferedImage image = read(thumbnail(TestMedia.fixture("exif.jpg", dir.resolve("exif.jpg")), MediaType.IMAGE, 256));
        assertThat(image.getWidth()).as("stored 64x48, orientation 6: shown upright").isEqualTo(48);
        assertThat(image.getHeight()).isEqualTo(64);
    }

    @Test
    void videoThumbnailIsAFrameAfterTheStart() throws Exception {
        ObjectNode result = thumbnail(Ffmpeg.clip(dir.resolve("clip.mp4"), 1280, 720, 3.0, false, 1), MediaType.VIDEO, 256);
        BufferedImage image = read(result);
        assertThat(image.getWidth()).isEqualTo(256);
        assertThat(image.getHeight()).isEqualTo(144);
        assertThat(result.get("source").asText()).isEqualTo("frame at 0.3 s");
    }

    @Test
    void rotatedVideoThumbnailIsUpright() throws Exception {
        Path landscape = Ffmpeg.clip(dir.resolve("landscape.mp4"), 640, 360, 1.0, false, 5);
        BufferedImage image = read(thumbnail(Ffmpeg.rotated(landscape, dir.resolve("portrait.mp4"), 90),
                MediaType.VIDEO, 256));
        assertThat(image.getHeight()).isGreaterThan(image.getWidth());
    }

    @Test
    void heicAndWebpThumbnailsComeFromFfmpeg() throws Exception {
        assertThat(read(thumbnail(TestMedia.fixture("still.heic", dir.resolve("a.heic")), MediaType.IMAGE, 256))
                .getWidth()).isEqualTo(40);
        assertThat(read(thumbnail(TestMedia.fixture("still.webp", dir.resolve("a.webp")), MediaType.IMAGE, 256))
                .getWidth()).isEqualTo(40);
    }

    @Test
    void equalThumbnailsAreStoredOnce() throws Exception {
        Path a = TestMedia.jpeg(dir.resolve("a.jpg"), 800, 600, 7);
        Path b = Files.copy(a, dir.resolve("b.jpg"));
        ObjectNode first = thumbnail(a, MediaType.IMAGE, 256);
        ObjectNode second = thumbnail(b, MediaType.IMAGE, 256);
        assertThat(second.get("path").asText()).isEqualTo(first.get("path").asText());
        try (var files = Files.walk(dataDir().resolve("thumbs"))) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void sizeAndQualityArePartOfTheConfiguration() {
        assertThat(new ThumbnailAnalyzer(Ffmpeg.TOOLS, dataDir(), 256, 85).configHash())
                .isNotEqualTo(new ThumbnailAnalyzer(Ffmpeg.TOOLS, dataDir(), 128, 85).configHash())
                .isNotEqualTo(new ThumbnailAnalyzer(Ffmpeg.TOOLS, dataDir(), 256, 90).configHash());
    }
}

package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BasicProbeTest {
    @TempDir
    Path dir;

    private final BasicProbe probe = new BasicProbe();

    private ObjectNode analyze(Path file, MediaType type) throws AnalysisException {
        return probe.analyze(new AnalysisInput(file, type, 0, "x"));
    }

    @ParameterizedTest
    @CsvSource({"jpg, JPEG", "png, PNG", "gif, GIF", "tiff, TIFF", "bmp, BMP"})
    void readsWidthAndHeightOfGeneratedImages(String format, String detected) throws Exception {
        Path file = TestMedia.image(dir.resolve("a." + format), format, 320, 200, 1);
        ObjectNode result = analyze(file, MediaType.IMAGE);
        assertThat(result.get("width").asInt()).isEqualTo(320);
        assertThat(result.get("height").asInt()).isEqualTo(200);
        assertThat(result.get("format").asText()).isEqualTo(detected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"still.webp", "still.heic"})
    void readsWidthAndHeightOfWebpAndHeic(String fixture) throws Exception {
        ObjectNode result = analyze(TestMedia.fixture(fixture, dir.resolve(fixture)), MediaType.IMAGE);
        assertThat(result.get("width").asInt()).isEqualTo(40);
        assertThat(result.get("height").asInt()).isEqualTo(30);
    }

    @ParameterizedTest
    @CsvSource({"clip.mp4, VIDEO", "clip.mov, VIDEO", "clip.mkv, VIDEO", "clip.webm, VIDEO", "tone.mp3, AUDIO",
            "tone.m4a, AUDIO", "tone.flac, AUDIO", "tone.ogg, AUDIO"})
    void acceptsRealVideoAndAudioContainers(String fixture, MediaType type) throws Exception {
        ObjectNode result = analyze(TestMedia.fixture(fixture, dir.resolve(fixture)), type);
        assertThat(result.get("container").asText()).isNotBlank();
    }

    @Test
    void acceptsAGeneratedWav() throws Exception {
        assertThat(analyze(TestMedia.wav(dir.resolve("a.wav"), 0.5, 1), MediaType.AUDIO).get("container").asText())
                .isEqualTo("WAV");
    }

    @Test
    void randomBytesNamedJpgAreNotAnImage() {
        Path file = TestMedia.randomBytes(dir.resolve("noise.jpg"), 4096, 3);
        assertThatThrownBy(() -> analyze(file, MediaType.IMAGE)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("not a readable image").hasMessageContaining("corrupt or misnamed");
    }

    @Test
    void videoNamedJpgIsReportedAsMisnamed() {
        Path file = TestMedia.fixture("clip.mp4", dir.resolve("clip.jpg"));
        assertThatThrownBy(() -> analyze(file, MediaType.IMAGE)).hasMessageContaining("not an image");
    }

    @Test
    void pngNamedJpgIsStillAnImage() throws Exception {
        Path png = TestMedia.image(dir.resolve("a.png"), "png", 10, 20, 1);
        Path misnamed = Files.move(png, dir.resolve("a.jpg"));
        assertThat(analyze(misnamed, MediaType.IMAGE).get("format").asText()).isEqualTo("PNG");
    }

    @Test
    void videoWhoseHeaderIsGarbageIsCorrupt() throws Exception {
        byte[] bytes = Files.readAllBytes(TestMedia.fixture("clip.mp4", dir.resolve("src.mp4")));
        Arrays.fill(bytes, 0, 16, (byte) 0);
        Path broken = TestMedia.write(dir.resolve("broken.mp4"), bytes);
        assertThatThrownBy(() -> analyze(broken, MediaType.VIDEO))
                .hasMessageContaining("does not start like a MP4/QuickTime file").hasMessageContaining("corrupt");
    }

    @Test
    void audioInTheWrongContainerIsReported() {
        Path file = TestMedia.fixture("tone.ogg", dir.resolve("tone.mp3"));
        assertThatThrownBy(() -> analyze(file, MediaType.AUDIO)).hasMessageContaining("looks like Ogg");
    }

    @Test
    void configHashIsStableAndTagged() {
        assertThat(probe.configHash()).startsWith("sha256:").hasSize(7 + 64).isEqualTo(new BasicProbe().configHash());
    }
}

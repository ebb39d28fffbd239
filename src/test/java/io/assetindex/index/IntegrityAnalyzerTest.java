package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Integrity verdicts on real, damaged and healthy files. */
class IntegrityAnalyzerTest {
    @TempDir
    Path dir;

    private ObjectNode check(Path file, MediaType type, boolean deep) throws Exception {
        ObjectNode probe = new ProbeAnalyzer(Ffmpeg.TOOLS).analyze(new AnalysisInput(file, type, Files.size(file), "x"));
        ObjectNode earlier = Json.object();
        earlier.set(ProbeAnalyzer.NAME, probe);
        return new IntegrityAnalyzer(Ffmpeg.TOOLS, deep).analyze(
                new AnalysisInput(file, type, Files.size(file), "x", earlier));
    }

    @Test
    void healthyVideoPassesTheQuickAndTheDeepCheck() throws Exception {
        Path clip = Ffmpeg.clip(dir.resolve("ok.mp4"), 320, 240, 1.0, true, 1);
        ObjectNode quick = check(clip, MediaType.VIDEO, false);
        assertThat(quick.get("corrupt").asBoolean()).isFalse();
        assertThat(quick.get("mode").asText()).isEqualTo("demux");
        assertThat(quick.get("tool").asText()).isEqualTo("ffprobe");
        assertThat(quick.get("check_ms").asLong()).isNotNegative();
        ObjectNode deep = check(clip, MediaType.VIDEO, true);
        assertThat(deep.get("corrupt").asBoolean()).isFalse();
        assertThat(deep.get("mode").asText()).isEqualTo("deep");
    }

    @Test
    void videoCutShortIsCorruptAndRejected() throws Exception {
        Path clip = Ffmpeg.faststart(Ffmpeg.clip(dir.resolve("full.mp4"), 640, 360, 3.0, true, 2), dir.resolve("fs.mp4"));
        Path cut = Ffmpeg.truncated(clip, dir.resolve("cut.mp4"), 0.6);

        ObjectNode verdict = check(cut, MediaType.VIDEO, false);

        assertThat(verdict.get("corrupt").asBoolean()).isTrue();
        assertThat(verdict.get("details").asText()).contains("partial file");
        assertThat(new IntegrityAnalyzer(Ffmpeg.TOOLS, false).rejection(verdict,
                new AnalysisInput(cut, MediaType.VIDEO, Files.size(cut), "x"))).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("corrupt: ").contains("partial file").contains("(checked by ffprobe)"));
    }

    @Test
    void truncatedJpegIsCorrupt() throws Exception {
        Path photo = TestMedia.jpeg(dir.resolve("photo.jpg"), 800, 600, 1);
        byte[] bytes = Files.readAllBytes(photo);
        Path cut = TestMedia.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length / 2));

        ObjectNode verdict = check(cut, MediaType.IMAGE, false);

        assertThat(verdict.get("corrupt").asBoolean()).isTrue();
        assertThat(verdict.get("tool").asText()).isEqualTo("ImageIO");
        assertThat(verdict.get("details").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png", "gif", "bmp"})
    void healthyImagesDecode(String format) throws Exception {
        ObjectNode verdict = check(TestMedia.image(dir.resolve("a." + format), format, 300, 200, 1), MediaType.IMAGE, false);
        assertThat(verdict.get("corrupt").asBoolean()).isFalse();
        assertThat(verdict.get("mode").asText()).isEqualTo("decode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"still.webp", "still.heic"})
    void webpAndHeicAreDecodedByFfmpeg(String fixture) throws Exception {
        ObjectNode verdict = check(TestMedia.fixture(fixture, dir.resolve(fixture)), MediaType.IMAGE, false);
        assertThat(verdict.get("corrupt").asBoolean()).isFalse();
        assertThat(verdict.get("tool").asText()).isEqualTo("ffmpeg");
    }

    @Test
    void healthyAudioPasses() throws Exception {
        Path song = Ffmpeg.taggedMp3(dir.resolve("song.mp3"), 1.0, "title", "x");
        assertThat(check(song, MediaType.AUDIO, false).get("corrupt").asBoolean()).isFalse();
    }

    @Test
    void aWholeWavIsVerifiedInProcessAndACutOneIsJudgedByFfprobeAsBefore() throws Exception {
        Path wav = TestMedia.wav(dir.resolve("take.wav"), 1.0, 3);
        ObjectNode whole = check(wav, MediaType.AUDIO, false);
        assertThat(whole.get("corrupt").asBoolean()).isFalse();
        assertThat(whole.get("warning").asBoolean()).isFalse();
        assertThat(whole.get("tool").asText()).isEqualTo("WAV structure");
        assertThat(whole.get("mode").asText()).isEqualTo("demux");

        ObjectNode cut = check(Ffmpeg.truncated(wav, dir.resolve("cut.wav"), 0.5), MediaType.AUDIO, false);
        assertThat(cut.get("tool").asText()).isEqualTo("ffprobe");
        assertThat(cut.get("warning").asBoolean()).as("ffprobe's verdict on a cut WAV: a warning").isTrue();
        assertThat(cut.get("details").asText()).contains("Packet corrupt");
    }

    @Test
    void deepCheckIsPartOfTheConfiguration() {
        assertThat(new IntegrityAnalyzer(Ffmpeg.TOOLS, true).configHash())
                .isNotEqualTo(new IntegrityAnalyzer(Ffmpeg.TOOLS, false).configHash());
    }
}

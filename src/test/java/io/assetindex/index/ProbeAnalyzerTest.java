package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The probe on real files with known properties. */
class ProbeAnalyzerTest {
    @TempDir
    Path dir;

    private final ProbeAnalyzer probe = new ProbeAnalyzer(Ffmpeg.TOOLS);

    private ObjectNode analyze(Path file, MediaType type) throws AnalysisException {
        return probe.analyze(new AnalysisInput(file, type, fileSize(file), "x"));
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void videoFactsComeFromFfprobe() throws Exception {
        Path clip = Ffmpeg.clip(dir.resolve("clip.mp4"), 1280, 720, 2.0, true, 1);
        ObjectNode facts = analyze(clip, MediaType.VIDEO);
        assertThat(facts.get("width").asInt()).isEqualTo(1280);
        assertThat(facts.get("height").asInt()).isEqualTo(720);
        assertThat(facts.get("duration_seconds").asDouble()).isBetween(1.9, 2.2);
        assertThat(facts.get("fps").asDouble()).isEqualTo(25.0);
        assertThat(facts.get("has_audio").asBoolean()).isTrue();
        assertThat(facts.get("video_codec").asText()).isEqualTo("h264");
        assertThat(facts.get("audio_codec").asText()).isEqualTo("aac");
        assertThat(facts.get("bit_rate").asLong()).isPositive();
        assertThat(facts.get("container").asText()).contains("mp4");
        assertThat(facts.has("rotation")).isFalse();
        assertThat(facts.at("/ffprobe/streams")).hasSize(2);
    }

    @Test
    void videoWithoutAudioSaysSo() throws Exception {
        ObjectNode facts = analyze(Ffmpeg.clip(dir.resolve("silent.mp4"), 320, 240, 1.0, false, 2), MediaType.VIDEO);
        assertThat(facts.get("has_audio").asBoolean()).isFalse();
        assertThat(facts.has("audio_codec")).isFalse();
    }

    @Test
    void rotatedVideoIsMeasuredAsShown() throws Exception {
        Path landscape = Ffmpeg.clip(dir.resolve("landscape.mp4"), 640, 360, 1.0, false, 3);
        ObjectNode facts = analyze(Ffmpeg.rotated(landscape, dir.resolve("portrait.mp4"), 90), MediaType.VIDEO);
        assertThat(facts.get("width").asInt()).isEqualTo(360);
        assertThat(facts.get("height").asInt()).isEqualTo(640);
        assertThat(Math.abs(facts.get("rotation").asInt())).isEqualTo(90);
    }

    @Test
    void audioFactsAndTags() throws Exception {
        Path song = Ffmpeg.taggedMp3(dir.resolve("song.mp3"), 1.5, "title", "Harbour Lights", "artist", "The Tests",
                "album", "Fixtures", "genre", "Ambient");
        ObjectNode facts = analyze(song, MediaType.AUDIO);
        assertThat(facts.get("duration_seconds").asDouble()).isBetween(1.4, 1.7);
        assertThat(facts.get("sample_rate").asInt()).isEqualTo(44100);
        assertThat(facts.get("channels").asInt()).isEqualTo(1);
        assertThat(facts.get("audio_codec").asText()).isEqualTo("mp3");
        assertThat(facts.get("tags").get("title").asText()).isEqualTo("Harbour Lights");
        assertThat(facts.get("tags").get("artist").asText()).isEqualTo("The Tests");
        assertThat(facts.get("tags").get("album").asText()).isEqualTo("Fixtures");
        assertThat(facts.get("tags").get("genre").asText()).isEqualTo("Ambient");
    }

    @ParameterizedTest
    @CsvSource({"tone.flac, flac", "tone.ogg, vorbis", "tone.m4a, aac"})
    void otherAudioContainers(String fixture, String codec) throws Exception {
        ObjectNode facts = analyze(TestMedia.fixture(fixture, dir.resolve(fixture)), MediaType.AUDIO);
        assertThat(facts.get("audio_codec").asText()).isEqualTo(codec);
        assertThat(facts.get("sample_rate").asInt()).isEqualTo(8000);
    }

    @Test
    void imageWithExifGivesCameraLensTimeGpsAndOrientation() throws Exception {
        ObjectNode facts = analyze(TestMedia.fixture("exif.jpg", dir.resolve("exif.jpg")), MediaType.IMAGE);
        assertThat(facts.get("format").asText()).isEqualTo("JPEG");
        assertThat(facts.get("orientation").asInt()).isEqualTo(6);
        assertThat(facts.get("width").asInt()).as("shown turned a quarter").isEqualTo(48);
        assertThat(facts.get("height").asInt()).isEqualTo(64);
        assertThat(facts.get("pixel_width").asInt()).isEqualTo(64);
        assertThat(facts.get("camera_make").asText()).isEqualTo("Canon");
        assertThat(facts.get("camera_model").asText()).isEqualTo("EOS R5");
        assertThat(facts.get("lens").asText()).isEqualTo("RF24-70mm F2.8 L IS USM");
        assertThat(facts.get("captured_at").asText()).isEqualTo("2026-11-20T14:30:05+01:00");
        assertThat(facts.at("/gps/latitude").asDouble()).isCloseTo(48.8584, offset(1e-4));
        assertThat(facts.at("/gps/longitude").asDouble()).isCloseTo(2.2945, offset(1e-4));
        assertThat(facts.at("/gps/altitude_m").asDouble()).isEqualTo(35.0);
    }

    @ParameterizedTest
    @CsvSource({"jpg, JPEG", "png, PNG", "gif, GIF", "tiff, TIFF", "bmp, BMP"})
    void generatedImagesOfEveryFormat(String format, String detected) throws Exception {
        ObjectNode facts = analyze(TestMedia.image(dir.resolve("a." + format), format, 320, 200, 1), MediaType.IMAGE);
        assertThat(facts.get("width").asInt()).isEqualTo(320);
        assertThat(facts.get("height").asInt()).isEqualTo(200);
        assertThat(facts.get("format").asText()).isEqualTo(detected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"still.webp", "still.heic"})
    void webpAndHeicSizes(String fixture) throws Exception {
        ObjectNode facts = analyze(TestMedia.fixture(fixture, dir.resolve(fixture)), MediaType.IMAGE);
        assertThat(facts.get("width").asInt()).isEqualTo(40);
        assertThat(facts.get("height").asInt()).isEqualTo(30);
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
    void truncatedMp4WithoutItsIndexIsUnreadable() {
        Path clip = Ffmpeg.clip(dir.resolve("full.mp4"), 320, 240, 2.0, true, 4);
        Path cut = Ffmpeg.truncated(clip, dir.resolve("cut.mp4"), 0.5);
        assertThatThrownBy(() -> analyze(cut, MediaType.VIDEO)).hasMessageContaining("moov atom not found")
                .hasMessageContaining("corrupt, truncated or misnamed");
    }

    @Test
    void randomBytesNamedMp3AreNotAudio() {
        Path file = TestMedia.randomBytes(dir.resolve("noise.mp3"), 5000, 9);
        assertThatThrownBy(() -> analyze(file, MediaType.AUDIO)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("audio");
    }

    @Test
    void configHashIsStableAndTagged() {
        assertThat(probe.configHash()).startsWith("sha256:").hasSize(7 + 64).isEqualTo(new ProbeAnalyzer(null).configHash());
    }
}

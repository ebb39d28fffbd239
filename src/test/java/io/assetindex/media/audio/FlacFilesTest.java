package io.assetindex.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FLAC read in process, on real files made by the bundled ffmpeg: the facts equal ffprobe's, and
 * every frame is verified, so a cut file or a flipped bit anywhere sends it to ffprobe.
 */
class FlacFilesTest {
    @TempDir
    Path dir;


    @Test
    void theFixtureIsReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(TestMedia.fixture("tone.flac", dir.resolve("tone.flac")));
    }

    @Test
    void aFlacWithACoverPictureIsReadInProcess() throws Exception {
        Path cover = TestMedia.jpeg(dir.resolve("cover.jpg"), 64, 64, 1);
        Path flac = dir.resolve("covered.flac");
        Ffmpeg.run("-f", "lavfi", "-i", "sine=sample_rate=44100", "-i", cover.toString(), "-t", "1", "-map", "0",
                "-map", "1", "-c:v", "copy", "-disposition:v", "attached_pic", flac.toString());
        SameAsFfprobe.readInProcess(flac);
    }



    @Test
    void aMetadataBlockDeclaringMoreThanTheFileIsLeftToFfprobe() throws Exception {
        Path flac = AudioFiles.make(dir.resolve("hostile.flac"), 44100, 1, "");
        AudioFiles.flip(flac, 43, 0x7F); // the second block's length, highest byte
        SameAsFfprobe.leftToFfprobe(flac);
        assertThat(Files.size(flac)).isLessThan(1 << 20);
    }
}

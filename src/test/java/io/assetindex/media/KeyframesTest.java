package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.MediaSettings;
import io.assetindex.testing.Ffmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyframesTest {
    @TempDir
    Path dir;

    @Test
    void halfTheFramesAreEvenlySpacedAndTheRestAtTheStrongestCuts() {
        List<Double> times = Keyframes.times(60, 4, List.of(new double[] {40.0, 0.9}, new double[] {31.0, 0.5},
                new double[] {10.0, 0.4}));
        // Evenly spaced: 15 and 45; the cuts at 40 and 10 are too close to them (less than 7.5 s), 31 is taken
        // just after the cut; one more evenly spaced time fills the fourth place.
        assertThat(times).containsExactly(3.8, 15.0, 31.5, 45.0);
    }

    @Test
    void aVideoWithoutCutsGetsEvenlySpacedFramesOnly() {
        assertThat(Keyframes.times(10, 3, List.of())).hasSize(3).isSorted().allSatisfy(t -> assertThat(t).isBetween(0.0, 10.0));
    }

    @Test
    void takesUprightJpegsNoLargerThanAskedFromARealClip() throws Exception {
        Path clip = Ffmpeg.clip(dir.resolve("clip.mp4"), 640, 360, 4.0, false, 3);
        MediaTools tools = new MediaTools(new MediaSettings(null, null, false, 256, 85), dir.resolve("cache"));
        List<Keyframes.Frame> frames = Keyframes.take(tools, clip, Files.size(clip), 4.0, 4, 160);
        assertThat(frames).hasSize(4);
        for (Keyframes.Frame frame : frames) {
            var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(frame.jpeg()));
            assertThat(image.getWidth()).isEqualTo(160);
            assertThat(image.getHeight()).isEqualTo(90);
        }
    }

    @Test
    void recordingsAreSplitIntoPartsUnderTheUploadLimit() throws IOException {
        assertThat(AudioTrack.partSeconds(24L << 20)).isEqualTo(5662.0);
        assertThat(AudioTrack.plan(30, 52_428)).extracting(part -> part[0]).containsExactly(0.0, 11.0, 22.0);
        assertThat(AudioTrack.plan(30, 52_428).get(2)[1]).isEqualTo(8.0);
        assertThat(AudioTrack.plan(0, 52_428)).singleElement().satisfies(part -> assertThat(part[1]).as("the whole file").isZero());
    }
}

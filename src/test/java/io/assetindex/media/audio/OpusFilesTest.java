package io.assetindex.media.audio;

import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Opus in Ogg read in process, on real files made by the bundled ffmpeg (libopus): the facts equal
 * ffprobe's, and every page's CRC is checked; Vorbis and FLAC in Ogg are left to ffprobe.
 */
class OpusFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"take.opus; 48000; 2.345; -c:a libopus", "take.ogg; 44100; 1.3; -ac 2 -c:a libopus -b:a 24k",
            "take.opus; 16000; 0.77; -c:a libopus", "take.opus; 8000; 3.01; -c:a libopus -b:a 6k -frame_duration 60",
            "take.opus; 48000; 0.5; -c:a libopus -frame_duration 2.5 -application lowdelay",
            "take.opus; 48000; 1.5; -ac 6 -c:a libopus", "take.opus; 24000; 65.5; -c:a libopus -b:a 12k",
            "take.opus; 48000; 1; -c:a libopus -metadata title=Harbour -metadata artist=Tests -metadata ALBUMARTIST=Band -metadata date=2021"})
    void opusFactsEqualFfprobes(String name, int sampleRate, double seconds, String options) throws Exception {
        SameAsFfprobe.readInProcess(AudioFiles.make(dir.resolve(name), sampleRate, seconds, options));
    }

    @Test
    void theFuzzSeedIsReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(Files.copy(Path.of("src/test/resources/fuzz/tone.opus"), dir.resolve("tone.opus")));
    }

    @Test
    void vorbisAndFlacInOggAreLeftToFfprobe() throws Exception {
        SameAsFfprobe.leftToFfprobe(TestMedia.fixture("tone.ogg", dir.resolve("tone.ogg")));
        SameAsFfprobe.leftToFfprobe(AudioFiles.make(dir.resolve("bell.oga"), 44100, 1, "-c:a flac"));
    }
}

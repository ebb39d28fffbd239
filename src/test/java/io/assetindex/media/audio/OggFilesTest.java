package io.assetindex.media.audio;

import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Opus and Vorbis in Ogg read in process, on real files made by the bundled ffmpeg (libopus, its
 * own Vorbis encoder) and by libvorbis (the fixture): the facts equal ffprobe's, and every page's
 * CRC is checked; FLAC in Ogg is left to ffprobe.
 */
class OggFilesTest {
    @TempDir
    Path dir;


    @Test
    void theFuzzSeedIsReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(Files.copy(Path.of("src/test/resources/fuzz/tone.opus"), dir.resolve("tone.opus")));
    }


    @Test
    void theVorbisFixtureMadeByLibvorbisIsReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(TestMedia.fixture("tone.ogg", dir.resolve("tone.ogg")));
    }

    @Test
    void flacInOggIsLeftToFfprobe() throws Exception {
        SameAsFfprobe.leftToFfprobe(AudioFiles.make(dir.resolve("bell.oga"), 44100, 1, "-c:a flac"));
    }
}

package io.assetindex.media.audio;

import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MP3 read in process, on real files made by the bundled ffmpeg (LAME): the facts equal ffprobe's;
 * every frame is walked and the audio's CRC checked, so a cut file or a flipped bit sends it to
 * ffprobe, as do files without the LAME tag.
 */
class Mp3FilesTest {
    @TempDir
    Path dir;


    @Test
    void theTaggedFixtureAndTheTestsTaggedMp3AreReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(TestMedia.fixture("tone.mp3", dir.resolve("tone.mp3")));
        SameAsFfprobe.readInProcess(Ffmpeg.taggedMp3(dir.resolve("song.mp3"), 1.5, "title", "Harbour Lights",
                "artist", "The Tests", "album", "Fixtures", "genre", "Ambient"));
    }

    @Test
    void anMp3WithACoverPictureIsReadInProcess() throws Exception {
        Path cover = TestMedia.jpeg(dir.resolve("cover.jpg"), 64, 64, 1);
        Path mp3 = dir.resolve("covered.mp3");
        Ffmpeg.run("-f", "lavfi", "-i", "sine=sample_rate=44100", "-i", cover.toString(), "-t", "1", "-map", "0",
                "-map", "1", "-c:a", "libmp3lame", "-c:v", "copy", "-metadata", "title=Cover", mp3.toString());
        SameAsFfprobe.readInProcess(mp3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-c:a libmp3lame -write_xing 0", "-c:a libmp3lame -write_id3v1 1 -metadata title=Old",
            "-c:a libmp3lame -metadata genre=(13)", "-c:a mp2 -f mp2"})
    void whatTheReaderCannotVouchForIsLeftToFfprobe(String options) throws Exception {
        SameAsFfprobe.leftToFfprobe(AudioFiles.make(dir.resolve("other.mp3"), 44100, 1, options));
    }



    @Test
    void anId3TagDeclaringMoreThanTheFileIsLeftToFfprobe() throws Exception {
        Path mp3 = AudioFiles.make(dir.resolve("hostile.mp3"), 44100, 1, "-c:a libmp3lame");
        AudioFiles.flip(mp3, 6, 0x7F); // the tag's size, highest syncsafe byte: 256 MiB more
        SameAsFfprobe.leftToFfprobe(mp3);
    }
}

package io.assetindex.media.audio;

import io.assetindex.testing.Ffmpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cut copies and flipped bits, in every format read in process: the reader does not vouch for
 * them, so ffprobe reads them and its verdict is the one it always gave. Real files made by the
 * bundled ffmpeg; damage at the start, the middle and the very end.
 */
class DamagedFilesTest {
    @TempDir
    Path dir;

    /** File name and ffmpeg options of each format whose whole stream the reader verifies. */
    static Stream<Arguments> verifiedFormats() {
        return Stream.of(Arguments.of("take.flac", ""), Arguments.of("take.mp3", "-c:a libmp3lame"),
                Arguments.of("stereo.mp3", "-c:a libmp3lame -ac 2 -q:a 2"), Arguments.of("take.opus", "-c:a libopus"),
                Arguments.of("take.ogg", "-ac 2 -c:a vorbis -strict -2"));
    }

    static Stream<Arguments> formatsAndPlaces() {
        return verifiedFormats().flatMap(format -> Stream.of(0.4, 0.6, 0.9, 0.99999)
                .map(where -> Arguments.of(format.get()[0], format.get()[1], where)));
    }

    @ParameterizedTest
    @MethodSource("formatsAndPlaces")
    void aCutCopyIsLeftToFfprobe(String name, String options, double where) throws Exception {
        Path whole = AudioFiles.make(dir.resolve(name), 44100, 2.5, options);
        SameAsFfprobe.readInProcess(whole);
        SameAsFfprobe.leftToFfprobe(Ffmpeg.truncated(whole, dir.resolve("cut-" + name), where));
    }

    @ParameterizedTest
    @MethodSource("formatsAndPlaces")
    void aFlippedBitInTheAudioIsLeftToFfprobe(String name, String options, double where) throws Exception {
        Path file = AudioFiles.make(dir.resolve(name), 44100, 2.5, options);
        // From 40% on is audio in each format (ffmpeg's FLAC has 8 KiB of padding before its frames).
        AudioFiles.flip(file, (long) ((Files.size(file) - 1) * where), 0x04);
        SameAsFfprobe.leftToFfprobe(file);
    }
}

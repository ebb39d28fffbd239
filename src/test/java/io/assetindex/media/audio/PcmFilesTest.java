package io.assetindex.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WAV and AIFF read in process, on real files made by the bundled ffmpeg and the JDK: the facts
 * equal ffprobe's; cut, damaged and hostile files are left to ffprobe.
 */
class PcmFilesTest {
    @TempDir
    Path dir;

    private Path made(String name, String options) {
        return AudioFiles.make(dir.resolve(name), 48000, 1.234, options);
    }



    @Test
    void aWavWrittenByTheJdkIsReadInProcess() throws Exception {
        SameAsFfprobe.readInProcess(TestMedia.wav(dir.resolve("jdk.wav"), 0.01, 7));
    }

    @Test
    void theTagsAreTheOnesFfprobeShows() throws Exception {
        Path wav = made("tagged.wav", "-c:a pcm_s16le -metadata title=Harbour -metadata artist=Tests");
        assertThat(SameAsFfprobe.readInProcess(wav).get("tags").toString())
                .isEqualTo("{\"title\":\"Harbour\",\"artist\":\"Tests\"}");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.6, 0.99})
    void aCutWavOrAiffIsLeftToFfprobe(double fraction) throws Exception {
        SameAsFfprobe.leftToFfprobe(Ffmpeg.truncated(made("whole.wav", "-c:a pcm_s16le"), dir.resolve("cut.wav"),
                fraction));
        SameAsFfprobe.leftToFfprobe(Ffmpeg.truncated(made("whole.aiff", ""), dir.resolve("cut.aiff"), fraction));
    }

    @Test
    void compressedWavIsLeftToFfprobe() throws Exception {
        SameAsFfprobe.leftToFfprobe(made("adpcm.wav", "-c:a adpcm_ima_wav"));
        SameAsFfprobe.leftToFfprobe(made("ms.wav", "-c:a adpcm_ms"));
    }

    @Test
    void aRecorderWavWithoutItsSizesIsLeftToFfprobe() throws Exception {
        Path wav = made("recording.wav", "-c:a pcm_s16le");
        AudioFiles.setLittleEndianInt(wav, dataSizeOffset(wav), 0xFFFFFFFF);
        SameAsFfprobe.leftToFfprobe(wav);
        AudioFiles.setLittleEndianInt(wav, dataSizeOffset(wav), 0);
        SameAsFfprobe.leftToFfprobe(wav);
    }

    @Test
    void aDataChunkDeclaringFourGigabytesInATinyFileIsLeftToFfprobeWithoutReadingIt() throws Exception {
        Path wav = TestMedia.wav(dir.resolve("hostile.wav"), 0.01, 1);
        AudioFiles.setLittleEndianInt(wav, 40, 0xFFFFFFFE);
        SameAsFfprobe.leftToFfprobe(wav);
        AudioFiles.setLittleEndianInt(wav, 40, 0x7FFFFFFF);
        SameAsFfprobe.leftToFfprobe(wav);
    }

    @Test
    void chunksOfZeroSizeOrBeyondTheFileAreLeftToFfprobe() throws Exception {
        byte[] wav = Files.readAllBytes(TestMedia.wav(dir.resolve("base.wav"), 0.01, 2));
        byte[] padded = new byte[wav.length + 8 * 2000];
        System.arraycopy(wav, 0, padded, 0, 36);
        for (int i = 0; i < 2000; i++) {
            System.arraycopy("junk".getBytes(), 0, padded, 36 + 8 * i, 4); // 2,000 empty chunks before data
        }
        System.arraycopy(wav, 36, padded, 36 + 8 * 2000, wav.length - 36);
        SameAsFfprobe.leftToFfprobe(TestMedia.write(dir.resolve("many.wav"), padded));

        byte[] listBeyond = Arrays.copyOf(wav, wav.length + 12);
        System.arraycopy("LIST".getBytes(), 0, listBeyond, wav.length, 4);
        listBeyond[wav.length + 4] = (byte) 0xF0;
        listBeyond[wav.length + 7] = (byte) 0x7F;
        SameAsFfprobe.leftToFfprobe(TestMedia.write(dir.resolve("list.wav"), listBeyond));
    }

    @Test
    void aFlippedBitInTheFormatIsLeftToFfprobe() throws Exception {
        Path wav = made("flipped.wav", "-c:a pcm_s16le");
        AudioFiles.flip(wav, 32, 0x01); // block align 2 -> 3
        SameAsFfprobe.leftToFfprobe(wav);
        Path aiff = made("flipped.aiff", "");
        AudioFiles.flip(aiff, 23, 0x10); // a bit of the frame count
        SameAsFfprobe.leftToFfprobe(aiff);
    }

    private static long dataSizeOffset(Path wav) throws Exception {
        byte[] bytes = Files.readAllBytes(wav);
        for (int i = 12; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 'd' && bytes[i + 1] == 'a' && bytes[i + 2] == 't' && bytes[i + 3] == 'a') {
                return i + 4;
            }
        }
        throw new AssertionError("no data chunk");
    }

}

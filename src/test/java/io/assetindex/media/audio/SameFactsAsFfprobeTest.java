package io.assetindex.media.audio;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every format read in process, on real files made by the bundled ffmpeg with its encoders and
 * options: the in-process reader vouches for each, and container, codec, sample rate, channels,
 * duration, bit rate and tags equal what ffprobe reports, field by field.
 */
class SameFactsAsFfprobeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} Hz {2} s {3}")
    @CsvSource(delimiter = ';', value = {
            "take.wav; 48000; 1.234; -c:a pcm_s16le", "take.wav; 48000; 1.234; -ac 2 -c:a pcm_s24le",
            "take.wav; 48000; 1.234; -c:a pcm_s32le", "take.wav; 48000; 1.234; -c:a pcm_f32le",
            "take.wav; 48000; 1.234; -c:a pcm_f64le", "take.wav; 48000; 1.234; -c:a pcm_u8",
            "take.wav; 48000; 1.234; -c:a pcm_alaw", "take.wav; 48000; 1.234; -c:a pcm_mulaw",
            "take.wav; 48000; 1.234; -ac 6 -c:a pcm_s16le", "take.wav; 44100; 2.1; -ac 2 -c:a pcm_s16le",
            "take.wav; 22050; 0.3; -c:a pcm_s16le", "take.wav; 48000; 1.234; -rf64 always -c:a pcm_s16le",
            "take.wav; 48000; 1.234; -c:a pcm_s16le -write_bext 1 -metadata origination_date=2023-05-06 -metadata description=take",
            "take.wav; 48000; 1.234; -c:a pcm_s16le -metadata title=Harbour -metadata artist=Tests -metadata album=Fixtures -metadata genre=Ambient -metadata date=2024",
            "take.aiff; 48000; 1.234; -c:a pcm_s16be", "take.aiff; 48000; 1.234; -ac 2 -c:a pcm_s24be",
            "take.aiff; 48000; 1.234; -c:a pcm_s32be", "take.aiff; 48000; 1.234; -c:a pcm_s8",
            "take.aiff; 44100; 2.2; -ac 2", "take.aiff; 48000; 1.234; -metadata title=Harbour",
            "take.aifc; 48000; 1.234; -c:a pcm_s16le -f aiff", "take.aifc; 48000; 1.234; -c:a pcm_f32be -f aiff",
            "take.aifc; 48000; 1.234; -c:a pcm_f64be -f aiff", "take.aifc; 48000; 1.234; -c:a pcm_alaw -f aiff",
            "take.aifc; 48000; 1.234; -c:a pcm_mulaw -f aiff",
            "take.flac; 44100; 2.5; -c:a flac", "take.flac; 44100; 2.5; -ac 2", "take.flac; 44100; 2.5; -sample_fmt s32",
            "take.flac; 96000; 2.5; -c:a flac", "take.flac; 8000; 0.3; -c:a flac", "take.flac; 44100; 2.5; -ac 6",
            "take.flac; 44100; 2.5; -compression_level 0", "take.flac; 44100; 2.5; -compression_level 12",
            "take.flac; 44100; 2.5; -lpc_type none -frame_size 1152",
            "take.flac; 44100; 1; -metadata title=Harbour -metadata artist=Tests -metadata ALBUMARTIST=Band -metadata date=2021 -metadata genre=Ambient -metadata album=Fixtures",
            "take.mp3; 44100; 2.5; -c:a libmp3lame -b:a 64k", "take.mp3; 44100; 1.2345; -c:a libmp3lame -q:a 4 -ac 2",
            "take.mp3; 48000; 3.3; -c:a libmp3lame -b:a 320k -ac 2", "take.mp3; 32000; 0.7; -c:a libmp3lame -b:a 32k",
            "take.mp3; 22050; 1.3; -c:a libmp3lame", "take.mp3; 24000; 2.01; -c:a libmp3lame -q:a 9",
            "take.mp3; 16000; 0.5; -c:a libmp3lame -b:a 8k", "take.mp3; 8000; 1.1; -c:a libmp3lame -b:a 8k",
            "take.mp3; 11025; 0.9; -c:a libmp3lame -ac 2",
            "take.mp3; 44100; 1; -c:a libmp3lame -metadata title=Harbour -metadata artist=Tests -metadata album=Fixtures -metadata genre=Ambient -metadata album_artist=Band -metadata date=2024",
            "take.mp3; 44100; 1; -c:a libmp3lame -id3v2_version 3 -metadata title=Harbour -metadata artist=Tests",
            "take.mp3; 44100; 1; -c:a libmp3lame -id3v2_version 3 -metadata title=Hafenlichter_ÄÖÜ -metadata artist=Tëst",
            "take.mp3; 44100; 1; -c:a libmp3lame -metadata title=Hafenlichter_ÄÖÜ_海",
            "take.opus; 48000; 2.345; -c:a libopus", "take.ogg; 44100; 1.3; -ac 2 -c:a libopus -b:a 24k",
            "take.opus; 16000; 0.77; -c:a libopus", "take.opus; 8000; 3.01; -c:a libopus -b:a 6k -frame_duration 60",
            "take.opus; 48000; 0.5; -c:a libopus -frame_duration 2.5 -application lowdelay",
            "take.opus; 48000; 1.5; -ac 6 -c:a libopus", "take.opus; 24000; 65.5; -c:a libopus -b:a 12k",
            "take.opus; 48000; 1; -c:a libopus -metadata title=Harbour -metadata artist=Tests -metadata ALBUMARTIST=Band -metadata date=2021",
            "take.ogg; 44100; 2.5; -ac 2 -c:a vorbis -strict -2", "take.ogg; 48000; 1.234; -ac 2 -c:a vorbis -strict -2",
            "take.ogg; 8000; 3.3; -ac 2 -c:a vorbis -strict -2 -metadata title=Harbour -metadata artist=Tests",
            "take.ogg; 22050; 65.1; -ac 2 -c:a vorbis -strict -2 -q:a 2"})
    void factsEqualFfprobes(String name, int sampleRate, double seconds, String options) throws Exception {
        SameAsFfprobe.readInProcess(AudioFiles.make(dir.resolve(name), sampleRate, seconds, options));
    }
}

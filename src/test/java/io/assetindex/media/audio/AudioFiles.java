package io.assetindex.media.audio;

import io.assetindex.testing.Ffmpeg;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Audio files for the reader's tests: a tone encoded by the bundled ffmpeg, and bytes changed in place. */
final class AudioFiles {
    private AudioFiles() {}

    /** A sine tone of {@code seconds} at {@code sampleRate}, encoded with {@code options} (space-separated ffmpeg options). */
    static Path make(Path file, int sampleRate, double seconds, String options) {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + sampleRate,
                "-t", String.valueOf(seconds)));
        if (!options.isBlank()) {
            args.addAll(Arrays.asList(options.split(" ")));
        }
        args.add(file.toString());
        Ffmpeg.run(args.toArray(String[]::new));
        return file;
    }

    static void flip(Path file, long offset, int mask) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int value = raf.read();
            raf.seek(offset);
            raf.write(value ^ mask);
        }
    }

    static void setLittleEndianInt(Path file, long offset, int value) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.writeInt(Integer.reverseBytes(value));
        }
    }
}

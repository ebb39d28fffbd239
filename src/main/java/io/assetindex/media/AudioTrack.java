package io.assetindex.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sound of an audio or video file as compact MP3 (mono, 16 kHz, 32 kbit/s: what speech
 * models resample to anyway), in parts small enough for an upload limit. 32 kbit/s is 4,000
 * bytes a second, so a 24 MB limit allows parts of about 90 minutes.
 */
public final class AudioTrack {
    static final int BYTES_PER_SECOND = 4_000;

    /** One part: where it starts in the file, how long it is, and its MP3 bytes. */
    public record Part(double startSeconds, double seconds, byte[] mp3) {}

    private AudioTrack() {}

    /** Seconds per part so that each stays under {@code maxUploadBytes} with room for MP3 framing. */
    public static double partSeconds(long maxUploadBytes) {
        return Math.max(1, Math.floor(maxUploadBytes * 0.9 / BYTES_PER_SECOND));
    }

    /**
     * The parts' start times and lengths for a recording of this duration; an unknown duration
     * (0) is one part of length 0, meaning the whole file.
     */
    public static List<double[]> plan(double durationSeconds, long maxUploadBytes) {
        double partSeconds = partSeconds(maxUploadBytes);
        List<double[]> parts = new ArrayList<>();
        if (durationSeconds <= 0) {
            parts.add(new double[] {0, 0});
            return parts;
        }
        double start = 0;
        do {
            parts.add(new double[] {start, Math.min(partSeconds, Math.max(0, durationSeconds - start))});
            start += partSeconds;
        } while (start < durationSeconds - 0.05);
        return parts;
    }

    /** @param seconds the part's length, or 0 for everything from {@code startSeconds} on */
    public static Part extract(MediaTools tools, Path file, long sizeBytes, double startSeconds, double seconds)
            throws MediaException, IOException, InterruptedException {
        List<String> input = new ArrayList<>(List.of("-loglevel", "error", "-ss",
                String.format(Locale.ROOT, "%.3f", startSeconds)));
        if (seconds > 0) {
            input.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", seconds)));
        }
        Subprocess.Result result = tools.ffmpeg(input, file, List.of("-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000",
                "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "-"), MediaTools.limitFor(sizeBytes));
        if (result.failed()) {
            throw new MediaException("ffmpeg could not extract the sound (" + result.problem() + ")");
        }
        return new Part(startSeconds, seconds, result.stdout());
    }
}

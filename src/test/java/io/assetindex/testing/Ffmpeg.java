package io.assetindex.testing;

import io.assetindex.config.MediaSettings;
import io.assetindex.media.MediaTools;
import io.assetindex.media.Subprocess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Makes test media with the ffmpeg bundled in the jar, so tests need nothing installed. */
public final class Ffmpeg {
    /** The tools as the program finds them (bundled, extracted to the user's cache). */
    public static final MediaTools TOOLS = new MediaTools(new MediaSettings(null, null, false, 256, 85),
            Path.of("target", "javacpp-cache").toAbsolutePath());

    private Ffmpeg() {}

    /** Runs ffmpeg with these arguments (overwriting, quiet); fails the test if it fails. */
    public static void run(String... args) {
        List<String> command = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        command.addAll(Arrays.asList(args));
        try {
            Subprocess.Result result = TOOLS.run(MediaTools.Tool.FFMPEG, command, Duration.ofMinutes(2));
            if (result.exitCode() != 0) {
                throw new AssertionError("ffmpeg " + String.join(" ", args) + " failed: " + result.stderr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An H.264 test-pattern clip, with a sine tone unless {@code audio} is false; {@code seed} changes the bytes. */
    public static Path clip(Path file, int width, int height, double seconds, boolean audio, int seed) {
        mkdirs(file);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=25,hue=h=" + (seed % 360)));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=" + (300 + seed % 500) + ":sample_rate=44100"));
        }
        args.addAll(List.of("-t", String.valueOf(seconds), "-c:v", "libopenh264", "-b:v", "1M", "-pix_fmt", "yuv420p"));
        if (audio) {
            args.addAll(List.of("-c:a", "aac", "-b:a", "64k", "-shortest"));
        }
        args.add(file.toString());
        run(args.toArray(String[]::new));
        return file;
    }

    /** A copy of a video shown turned by {@code degrees} (a phone held upright), streams untouched. */
    public static Path rotated(Path source, Path file, int degrees) {
        mkdirs(file);
        run("-display_rotation", String.valueOf(degrees), "-i", source.toString(), "-c", "copy", file.toString());
        return file;
    }

    /** An MP3 with these tags (pairs: name, value). */
    public static Path taggedMp3(Path file, double seconds, String... tags) {
        mkdirs(file);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t",
                String.valueOf(seconds), "-c:a", "libmp3lame", "-b:a", "64k"));
        for (int i = 0; i + 1 < tags.length; i += 2) {
            args.addAll(List.of("-metadata", tags[i] + "=" + tags[i + 1]));
        }
        args.add(file.toString());
        run(args.toArray(String[]::new));
        return file;
    }

    /** The first {@code fraction} of a file's bytes, as an interrupted copy leaves it. */
    public static Path truncated(Path source, Path file, double fraction) {
        try {
            byte[] bytes = Files.readAllBytes(source);
            mkdirs(file);
            return Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the index of an MP4 to the front (as streaming encoders do), so a cut file still opens. */
    public static Path faststart(Path source, Path file) {
        mkdirs(file);
        run("-i", source.toString(), "-c", "copy", "-movflags", "+faststart", file.toString());
        return file;
    }

    private static void mkdirs(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

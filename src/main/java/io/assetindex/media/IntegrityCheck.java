package io.assetindex.media;

import io.assetindex.MediaType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Is a media file damaged? What PixelProbe does, per kind of file:
 *
 * <ul>
 *   <li>images the JDK decodes (JPEG, PNG, GIF, BMP, TIFF) are decoded whole, sub-sampled so
 *       that even a huge image needs at most about 4 megapixels of memory; an exception or a
 *       decoder warning about missing or bad data (a truncated JPEG) means corrupt;</li>
 *   <li>other images (WebP, HEIC) are decoded by ffmpeg;</li>
 *   <li>audio and video: ffmpeg reads every packet of every stream (quick) or also decodes
 *       every frame (deep); an error-level message means corrupt (a truncated file reports
 *       "partial file"), a warning-level one is kept as a warning.</li>
 * </ul>
 */
public final class IntegrityCheck {
    private static final Pattern DAMAGE = Pattern.compile(
            "premature end|corrupt|truncat|bad huffman|invalid|missing|end of (file|stream)|not enough data",
            Pattern.CASE_INSENSITIVE);
    private static final int DETAIL_LINES = 3;

    /**
     * The outcome.
     *
     * @param corrupt  data is missing or unreadable
     * @param warning  readable, but the tool reported something odd
     * @param details  the first few messages, or null
     * @param tool     what checked it ("ImageIO", "ffmpeg")
     * @param mode     "decode", "demux" or "deep"
     * @param decoded  the picture, when it was decoded whole by the JDK (at most about 4
     *                 megapixels), for a thumbnail to reuse; else null
     */
    public record Verdict(boolean corrupt, boolean warning, String details, String tool, String mode, long durationMs,
            BufferedImage decoded) {

        Verdict(boolean corrupt, boolean warning, String details, String tool, String mode, long durationMs) {
            this(corrupt, warning, details, tool, mode, durationMs, null);
        }
    }

    private IntegrityCheck() {}

    /**
     * @param format          the image format from the probe ("JPEG", "WebP" ...), or null
     * @param durationSeconds the media duration from the probe, or null (sizes the deep check's time limit)
     * @param previewLongSide an image is decoded sub-sampled down to no less than twice this (0: full
     *                        size), which is faster and still reads every byte; the decoded picture is
     *                        then good for a thumbnail of this size
     */
    public static Verdict check(MediaTools tools, Path file, MediaType type, String format, long sizeBytes,
            Double durationSeconds, boolean deep, int previewLongSide) throws IOException, InterruptedException {
        long start = System.nanoTime();
        if (type == MediaType.IMAGE) {
            ImageReader reader = format == null ? null : ImageDecoding.readerFor(format);
            if (reader != null) {
                return decodeWithImageIo(reader, file, previewLongSide, start);
            }
            return withFfmpeg(tools, file, List.of(), "decode", MediaTools.limitFor(sizeBytes));
        }
        Duration limit = MediaTools.limitFor(sizeBytes);
        if (deep) {
            limit = limit.plusSeconds(2 * (long) Math.ceil(durationSeconds == null ? 0 : durationSeconds));
            return withFfmpeg(tools, file, List.of("-map", "0"), "deep", limit);
        }
        return withFfmpeg(tools, file, List.of("-map", "0", "-c", "copy"), "demux", limit);
    }

    private static Verdict decodeWithImageIo(ImageReader reader, Path file, int previewLongSide, long start)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        BufferedImage decoded;
        try (InputStream in = Files.newInputStream(file); ImageInputStream images = new MemoryCacheImageInputStream(in)) {
            reader.setInput(images, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageReadParam param = reader.getDefaultReadParam();
            int step = ImageDecoding.step(reader.getWidth(0), reader.getHeight(0), previewLongSide);
            param.setSourceSubsampling(step, step, 0, 0);
            decoded = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Verdict(true, !warnings.isEmpty(), join(prepend(reason, warnings)), "ImageIO", "decode", elapsed(start));
        } finally {
            reader.dispose();
        }
        boolean damaged = warnings.stream().anyMatch(w -> DAMAGE.matcher(w).find());
        return new Verdict(damaged, !warnings.isEmpty() && !damaged, warnings.isEmpty() ? null : join(warnings), "ImageIO",
                "decode", elapsed(start), damaged ? null : decoded);
    }

    private static Verdict withFfmpeg(MediaTools tools, Path file, List<String> options, String mode, Duration limit)
            throws IOException, InterruptedException {
        List<String> output = new ArrayList<>(options);
        output.addAll(List.of("-f", "null", "-"));
        Subprocess.Result result = tools.ffmpeg(List.of("-loglevel", "level+warning"), file, output, limit);
        if (result.timedOut()) {
            return new Verdict(true, false, "the check did not finish within " + limit.toSeconds() + " s", "ffmpeg", mode,
                    result.durationMs());
        }
        ToolMessages messages = ToolMessages.parse(result.stderr());
        boolean corrupt = result.exitCode() != 0 || !messages.errors().isEmpty();
        String details = messages.summary(DETAIL_LINES);
        if (corrupt && details == null) {
            details = "ffmpeg exited with code " + result.exitCode();
        }
        return new Verdict(corrupt, !messages.warnings().isEmpty(), details, "ffmpeg", mode, result.durationMs());
    }

    /**
     * The verdict from what ffprobe reported while the probe read every packet: the same
     * demux check as {@code ffmpeg -c copy}, without a second pass over the file.
     */
    public static Verdict fromProbePackets(List<String> errors, List<String> warnings, long readMs) {
        ToolMessages messages = new ToolMessages(errors, warnings);
        return new Verdict(!errors.isEmpty(), !warnings.isEmpty(), messages.summary(DETAIL_LINES), "ffprobe", "demux",
                readMs);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String join(List<String> messages) {
        return String.join("; ", messages.stream().map(String::strip).distinct().limit(DETAIL_LINES).toList());
    }

    private static long elapsed(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000;
    }
}

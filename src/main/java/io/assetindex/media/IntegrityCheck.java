package io.assetindex.media;

import io.assetindex.MediaType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageReader;

/**
 * Is a media file damaged? What PixelProbe does, per kind of file:
 *
 * <ul>
 *   <li>images the JDK decodes (JPEG, PNG, GIF, BMP, TIFF) are decoded whole, sub-sampled so
 *       that even a huge image needs at most about 4 megapixels of memory; an exception or a
 *       decoder warning about missing or bad data (a truncated JPEG) means corrupt. One whose
 *       decoder would need more memory than this process gives pictures (see
 *       {@link ImageDecoding}) goes to ffmpeg instead;</li>
 *   <li>other images (WebP, HEIC) are decoded by ffmpeg;</li>
 *   <li>camera RAW files: their structure (every data block inside the file) and their largest
 *       embedded JPEG preview ({@link RawPreview}); the raw data itself is not decoded;</li>
 *   <li>audio and video: ffmpeg reads every packet of every stream (quick) or also decodes
 *       every frame (deep); an error-level message means corrupt (a truncated file reports
 *       "partial file"), a warning-level one is kept as a warning.</li>
 * </ul>
 *
 * <p>A check that runs out of time or out of the tools' memory says nothing about the file: it
 * is thrown ({@link MediaException}) rather than returned, so that no verdict is cached for
 * the content and the file is tried again.
 */
public final class IntegrityCheck {
    private static final Pattern DAMAGE = Pattern.compile(
            "premature end|corrupt|truncat|bad huffman|invalid|missing|end of (file|stream)|not enough data",
            Pattern.CASE_INSENSITIVE);
    /** How many messages a verdict's one-line details holds. */
    public static final int DETAIL_LINES = 3;
    /** What ffmpeg says of a picture larger than it decodes at all (about 268 megapixels). */
    private static final Pattern PICTURE_TOO_LARGE = Pattern.compile("Picture size \\d+x\\d+ is invalid");

    /**
     * The outcome: what the checker said. Any error means damage (data is missing or unreadable);
     * warnings alone mean readable, but the checker found something odd. Whoever stores it may
     * judge it again under the user's rules ({@code integrity.ignore_patterns}).
     *
     * @param messages what the checker said
     * @param tool     what checked it ("ImageIO", "ffmpeg")
     * @param mode     "decode", "demux" or "deep"
     * @param decoded  the picture, when it was decoded whole by the JDK (at most about 4
     *                 megapixels), for a thumbnail to reuse; else null
     */
    public record Verdict(ToolMessages messages, String tool, String mode, long durationMs, BufferedImage decoded) {

        Verdict(ToolMessages messages, String tool, String mode, long durationMs) {
            this(messages, tool, mode, durationMs, null);
        }

        public boolean corrupt() {
            return messages.corrupt();
        }

        public boolean warning() {
            return !messages.warnings().isEmpty();
        }

        /** The first few messages, errors first, as one line; null when there are none. */
        public String details() {
            return messages.summary(DETAIL_LINES);
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
            Double durationSeconds, boolean deep, int previewLongSide)
            throws MediaException, IOException, InterruptedException {
        long start = System.nanoTime();
        Duration limit = MediaTools.limitFor(sizeBytes);
        if (type == MediaType.IMAGE && format != null && RawFile.FORMATS.containsValue(format)) {
            return RawPreview.check(tools, file, format, sizeBytes, previewLongSide);
        }
        if (type == MediaType.IMAGE) {
            ImageReader reader = ImageDecoding.readerFor(format);
            if (reader != null) {
                try {
                    return fromDecoded(ImageDecoding.decode(reader, file, previewLongSide, limit,
                            tools.decodeBudget()), start);
                } catch (ImageDecoding.TooLarge e) {
                    // Too much for this process: ffmpeg decodes it, within its own memory limit.
                } catch (ImageDecoding.TimedOut e) {
                    throw MediaException.transientFailure("the integrity check did not finish within " + limit.toSeconds()
                            + " s; it is tried again later");
                }
            }
            return withFfmpeg(tools, file, List.of(), "decode", limit);
        }
        if (deep) {
            limit = limit.plusSeconds(2 * (long) Math.ceil(durationSeconds == null ? 0 : durationSeconds));
            return withFfmpeg(tools, file, List.of("-map", "0"), "deep", limit);
        }
        return withFfmpeg(tools, file, List.of("-map", "0", "-c", "copy"), "demux", limit);
    }

    private static Verdict fromDecoded(ImageDecoding.Decoded decoded, long start) {
        ToolMessages messages = sorted(decoded);
        return new Verdict(messages, "ImageIO", "decode", elapsed(start), messages.corrupt() ? null : decoded.image());
    }

    /**
     * What the JDK's decoder said: its exception is an error; of its warnings, those about missing
     * or bad data (a truncated JPEG) are errors, the others warnings.
     */
    static ToolMessages sorted(ImageDecoding.Decoded decoded) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (decoded.failed()) {
            errors.add(decoded.error());
        }
        for (String warning : decoded.warnings()) {
            (DAMAGE.matcher(warning).find() ? errors : warnings).add(warning);
        }
        return new ToolMessages(errors, warnings);
    }

    /**
     * ffmpeg's verdict. A run that timed out or hit the tools' memory limit says nothing about
     * the file and is thrown, so that it is tried again rather than cached as damage; a picture
     * larger than ffmpeg decodes at all is a warning (not checked), not damage.
     */
    private static Verdict withFfmpeg(MediaTools tools, Path file, List<String> options, String mode, Duration limit)
            throws MediaException, IOException, InterruptedException {
        List<String> output = new ArrayList<>(options);
        output.addAll(List.of("-f", "null", "-"));
        Subprocess.Result result = tools.ffmpeg(List.of("-loglevel", "level+warning"), file, output, limit);
        if (result.timedOut()) {
            throw MediaException.transientFailure("the integrity check did not finish within " + limit.toSeconds()
                    + " s; it is tried again later");
        }
        if (MediaTools.outOfMemory(result)) {
            throw MediaException.transientFailure("checking it needs more memory than ffmpeg may use ("
                    + (MediaTools.ADDRESS_SPACE_BYTES >> 30)
                    + " GiB); it is tried again later");
        }
        ToolMessages messages = ToolMessages.parse(result.stderr());
        Optional<String> tooLarge = messages.errors().stream().filter(m -> PICTURE_TOO_LARGE.matcher(m).find())
                .findFirst();
        if (tooLarge.isPresent()) {
            return new Verdict(ToolMessages.warning("not decoded: " + tooLarge.get()), "ffmpeg", mode,
                    result.durationMs());
        }
        if (result.exitCode() != 0 && !messages.corrupt()) {
            messages = new ToolMessages(List.of("ffmpeg exited with code " + result.exitCode()), messages.warnings());
        }
        return new Verdict(messages, "ffmpeg", mode, result.durationMs());
    }

    /**
     * The verdict from what the probe reported while it read every packet: the same demux check
     * as {@code ffmpeg -c copy}, without a second pass over the file.
     *
     * @param tool "ffprobe", or the in-process reader that verified the stream ("WAV structure" ...)
     */
    public static Verdict fromProbePackets(List<String> errors, List<String> warnings, long readMs, String tool) {
        return new Verdict(new ToolMessages(errors, warnings), tool, "demux", readMs);
    }

    private static long elapsed(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000;
    }
}

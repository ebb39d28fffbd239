package io.assetindex.media;

import io.assetindex.MediaType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes a JPEG thumbnail whose longest side is at most {@code size} pixels (never enlarged):
 * images the JDK decodes are read sub-sampled (so a 100-megapixel photo costs a few
 * megapixels of memory) and turned as their EXIF orientation says; a camera RAW file's from its
 * largest embedded preview, turned as the RAW file says; other images and video
 * frames come from ffmpeg, which applies the rotation of phone videos itself. A video's frame
 * is taken a tenth of the way in (at most 10 s), past fade-ins and black first frames.
 */
public final class Thumbnailer {

    /** A thumbnail: the JPEG bytes, their pixel size, and what it shows ("image", "frame at 1.2 s"). */
    public record Thumbnail(byte[] jpeg, int width, int height, String source) {}

    /**
     * What the probe knows about the file to thumbnail.
     *
     * @param format           the image format ("JPEG", "HEIF" ...), or null
     * @param orientation      the EXIF orientation (1 to 8) of an image
     * @param durationSeconds  a video's duration, or null
     * @param pixelWidth       the stored picture's width (before orientation), or 0 if unknown
     * @param pixelHeight      the stored picture's height, or 0 if unknown
     */
    public record Source(Path file, MediaType type, long sizeBytes, String format, int orientation,
            Double durationSeconds, int pixelWidth, int pixelHeight) {}

    private Thumbnailer() {}

    /**
     * @param decoded the picture already decoded by the integrity check (stored orientation, maybe
     *                sub-sampled), or null
     */
    public static Thumbnail make(MediaTools tools, Source source, BufferedImage decoded, int size, int quality)
            throws MediaException, IOException, InterruptedException {
        boolean raw = source.type() == MediaType.IMAGE && source.format() != null
                && RawFile.FORMATS.containsValue(source.format());
        if (decoded != null) {
            BufferedImage scaled = scale(orient(decoded, source.orientation()), size);
            return new Thumbnail(jpeg(scaled, quality), scaled.getWidth(), scaled.getHeight(),
                    raw ? "embedded preview" : "image");
        }
        if (raw) {
            // Its picture is its embedded preview (ffmpeg does not read camera RAW).
            IntegrityCheck.Verdict preview = RawPreview.check(tools, source.file(), source.format(), source.sizeBytes(),
                    size);
            if (preview.decoded() == null) {
                throw new MediaException("no readable embedded preview for a thumbnail"
                        + (preview.details() == null ? "" : " (" + preview.details() + ")"));
            }
            BufferedImage scaled = scale(orient(preview.decoded(), source.orientation()), size);
            return new Thumbnail(jpeg(scaled, quality), scaled.getWidth(), scaled.getHeight(), "embedded preview");
        }
        if (source.type() == MediaType.IMAGE) {
            ImageReader reader = ImageDecoding.readerFor(source.format());
            if (reader != null) {
                Optional<Thumbnail> thumbnail = fromImage(tools, reader, source, size, quality);
                if (thumbnail.isPresent()) {
                    return thumbnail.get();
                }
            }
        }
        return fromFfmpeg(tools, source, size, quality);
    }

    /** From the JDK's decoder, or empty when the picture is too large to decode in this process. */
    private static Optional<Thumbnail> fromImage(MediaTools tools, ImageReader reader, Source source, int size,
            int quality) throws MediaException, IOException, InterruptedException {
        Duration limit = MediaTools.limitFor(source.sizeBytes());
        ImageDecoding.Decoded decoded;
        try {
            decoded = ImageDecoding.decode(reader, source.file(), size, limit, tools.decodeBudget());
        } catch (ImageDecoding.TooLarge e) {
            return Optional.empty();
        } catch (ImageDecoding.TimedOut e) {
            throw new MediaException("cannot decode the image for a thumbnail: " + e.getMessage());
        }
        if (decoded.failed()) {
            throw new MediaException("cannot decode the image for a thumbnail: " + decoded.error());
        }
        BufferedImage scaled = scale(orient(decoded.image(), source.orientation()), size);
        return Optional.of(new Thumbnail(jpeg(scaled, quality), scaled.getWidth(), scaled.getHeight(), "image"));
    }

    private static Thumbnail fromFfmpeg(MediaTools tools, Source source, int size, int quality)
            throws MediaException, IOException, InterruptedException {
        boolean video = source.type() == MediaType.VIDEO;
        double atSeconds = video && source.durationSeconds() != null ? Math.min(source.durationSeconds() * 0.1, 10.0) : 0;
        String scale = fitWithin(size);
        if (!video && source.pixelWidth() > 0 && source.pixelHeight() > 0) {
            // A single-tile HEIF grid decodes to its padded tile; cut it to the picture (ffmpeg stitches larger grids).
            scale = "crop='min(iw," + source.pixelWidth() + ")':'min(ih," + source.pixelHeight() + ")':0:0," + scale;
        }
        Subprocess.Result result = frame(tools, source.file(), atSeconds, scale, ffmpegQuality(quality),
                MediaTools.limitFor(source.sizeBytes()));
        if (result.failed()) {
            throw new MediaException("ffmpeg could not take a " + (video ? "frame" : "picture") + " for a thumbnail ("
                    + result.problem() + ")");
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(result.stdout()));
        if (image == null) {
            throw new MediaException("ffmpeg's thumbnail is not a readable JPEG");
        }
        String shows = video ? String.format(Locale.ROOT, "frame at %.1f s", atSeconds) : "image";
        return new Thumbnail(result.stdout(), image.getWidth(), image.getHeight(), shows);
    }

    /** A filter that shrinks a picture to fit {@code size} × {@code size}, never enlarging it. */
    static String fitWithin(int size) {
        return "scale='min(" + size + ",iw)':'min(" + size + ",ih)':force_original_aspect_ratio=decrease";
    }

    /** One frame at {@code atSeconds} (0: the first), through {@code filter}, as JPEG on the result's stdout. */
    static Subprocess.Result frame(MediaTools tools, Path file, double atSeconds, String filter, int ffmpegQuality,
            Duration limit) throws IOException, InterruptedException {
        List<String> input = new ArrayList<>(List.of("-loglevel", "error"));
        if (atSeconds > 0) {
            input.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", atSeconds)));
        }
        return tools.ffmpeg(input, file, List.of("-frames:v", "1", "-an", "-sn", "-vf", filter,
                "-q:v", String.valueOf(ffmpegQuality), "-f", "image2pipe", "-c:v", "mjpeg", "-"), limit);
    }

    /** ffmpeg's mjpeg scale runs from 2 (best) to 31; map a 1-100 JPEG quality onto it. */
    static int ffmpegQuality(int quality) {
        return Math.max(2, Math.min(31, (int) Math.round(2 + (100 - quality) * 29 / 99.0)));
    }

    /** Applies an EXIF orientation (1 = as stored ... 8), so the thumbnail shows what cameras show. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean quarter = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        BufferedImage out = new BufferedImage(quarter ? h : w, quarter ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    /** Scales so the longest side is at most {@code size}, halving in steps for quality, onto white (no alpha in JPEG). */
    static BufferedImage scale(BufferedImage image, int size) {
        int w = image.getWidth();
        int h = image.getHeight();
        double factor = Math.min(1.0, (double) size / Math.max(w, h));
        int targetW = Math.max(1, (int) Math.round(w * factor));
        int targetH = Math.max(1, (int) Math.round(h * factor));
        BufferedImage current = image;
        do {
            int nextW = Math.max(targetW, current.getWidth() / 2);
            int nextH = Math.max(targetH, current.getHeight() / 2);
            Optional<BufferedImage> half = nextW * 2 == current.getWidth() && nextH * 2 == current.getHeight()
                    ? Halving.half(current) : Optional.empty();
            if (half.isPresent()) {
                current = half.get();
                continue;
            }
            BufferedImage next = new BufferedImage(nextW, nextH, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, nextW, nextH);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(current, 0, 0, nextW, nextH, null);
            g.dispose();
            current = next;
        } while (current.getWidth() > targetW || current.getHeight() > targetH);
        return current;
    }

    static byte[] jpeg(BufferedImage image, int quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

package io.assetindex.media;

import io.assetindex.util.Threads;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes pictures with the JDK, within bounds on memory and time, or says that it must not.
 *
 * <p>Guarantees: the picture is sub-sampled to at most {@link #MAX_DECODE_PIXELS} (a
 * 100-megapixel photo costs a few megapixels of memory, whichever size is asked for), and
 * further when only a small picture is wanted. Before anything is decoded, the memory the
 * decoder will need is estimated from the header (the sub-sampled picture, a few full-width
 * rows, a TIFF's tiles and compressed strips, a progressive JPEG's coefficients in native
 * memory) and taken from the {@link DecodeBudget}: a picture that needs more than the whole
 * budget is not decoded here at all ({@link TooLarge}: decode it out of process), and decodes
 * running together never need more than the budget. A decode that runs past its time limit is
 * aborted ({@link TimedOut}).
 */
final class ImageDecoding {
    static final long MAX_DECODE_PIXELS = 4_000_000;
    /** Bytes per pixel of the sub-sampled picture: 16-bit RGBA at worst. */
    private static final int DESTINATION_BYTES_PER_PIXEL = 8;
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(Threads.daemon("decode-watchdog"));

    /**
     * What the JDK made of a picture: the picture (sub-sampled, as stored: orientation not
     * applied), or the reader's error when it could not; and the decoder's warnings either way.
     */
    record Decoded(BufferedImage image, String error, List<String> warnings) {
        boolean failed() {
            return image == null;
        }
    }

    /** The picture needs more memory than the JDK may use for it here. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The decode did not finish within its time limit and was aborted. */
    static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut(Duration limit) {
            super("decoding did not finish within " + limit.toSeconds() + " s", null, false, false);
        }
    }

    private ImageDecoding() {}

    /** The JDK's reader for a format name ("JPEG", "PNG" ...), or null when it has none. */
    static ImageReader readerFor(String format) {
        if (format == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.toLowerCase(Locale.ROOT));
        return readers.hasNext() ? readers.next() : null;
    }

    /**
     * The sub-sampling step for a picture of this size: within the memory cap, and no finer than
     * twice {@code targetLongSide} (enough for a clean downscale); 0 or less means full size.
     */
    static int step(int width, int height, int targetLongSide) {
        int memoryStep = (int) Math.max(1, Math.ceil(Math.sqrt((double) width * height / MAX_DECODE_PIXELS)));
        int targetStep = targetLongSide <= 0 ? 1
                : Math.max(1, Math.min(Math.max(width, height) / (2 * targetLongSide), Math.min(width, height) / 2));
        return Math.max(memoryStep, targetStep);
    }

    /**
     * Decodes the first picture of {@code file} with {@code reader} (which this disposes of).
     *
     * @param targetLongSide the picture is wanted at least this large (0: as large as the cap allows)
     * @throws TooLarge    when decoding it here would need more than the budget; nothing was decoded
     * @throws TimedOut    when it ran past {@code limit}
     * @throws IOException when the file cannot be opened (a damaged file is a {@link Decoded} with an error)
     */
    static Decoded decode(ImageReader reader, Path file, int targetLongSide, Duration limit, DecodeBudget budget)
            throws TooLarge, TimedOut, IOException, InterruptedException {
        List<String> warnings = new ArrayList<>();
        boolean tiff = reader.getFormatName().toLowerCase(Locale.ROOT).startsWith("tif");
        ImageInputStream images;
        try {
            images = ChannelImageInputStream.open(file);
        } catch (IOException e) {
            reader.dispose();
            throw e;
        }
        try (images) {
            // A TIFF's metadata tells the size of its strips; other formats' is not needed.
            reader.setInput(images, true, !tiff);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            int step = step(width, height, targetLongSide);
            try (DecodeBudget.Grant grant = budget.take(estimate(reader, file, width, height, step))) {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = readWithin(reader, param, limit);
                return image == null ? new Decoded(null, "the decoder returned no picture", warnings)
                        : new Decoded(image, null, warnings);
            }
        } catch (IOException | RuntimeException e) {
            return new Decoded(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), warnings);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage readWithin(ImageReader reader, ImageReadParam param, Duration limit)
            throws IOException, TimedOut {
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            aborted.set(true);
            reader.abort();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            BufferedImage image = reader.read(0, param);
            if (aborted.get()) {
                throw new TimedOut(limit);
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (aborted.get()) {
                throw new TimedOut(limit);
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    /**
     * Bytes the JDK needs to decode the picture at this step: the sub-sampled picture, a few
     * full-width rows, and what the format holds beyond rows.
     *
     * @throws TooLarge when the header declares something no budget should pay for
     */
    static long estimate(ImageReader reader, Path file, int width, int height, int step)
            throws IOException, TooLarge {
        long destination = ceilDiv(width, step) * ceilDiv(height, step) * DESTINATION_BYTES_PER_PIXEL;
        long rows = (long) width * DESTINATION_BYTES_PER_PIXEL * 16;
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        long held = switch (format) {
            case "jpeg", "jpg" -> JpegFrame.read(file).filter(JpegFrame::progressive)
                    .map(JpegFrame::coefficientBytes).orElse(0L);
            case "tif", "tiff" -> tiffBuffers(reader, Files.size(file));
            default -> 0L;
        };
        return destination + rows + held;
    }

    /** A TIFF is decoded a tile (or strip) at a time: one decoded tile plus its compressed bytes. */
    private static long tiffBuffers(ImageReader reader, long fileBytes) throws IOException, TooLarge {
        long tile = (long) reader.getTileWidth(0) * reader.getTileHeight(0) * DESTINATION_BYTES_PER_PIXEL;
        long compressed = 0;
        Optional<TIFFDirectory> directory = tiffDirectory(reader);
        if (directory.isPresent()) {
            for (int tag : new int[] {BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS, BaselineTIFFTagSet.TAG_TILE_BYTE_COUNTS}) {
                TIFFField counts = directory.get().getTIFFField(tag);
                for (int i = 0; counts != null && i < counts.getCount(); i++) {
                    compressed = Math.max(compressed, counts.getAsLong(i));
                }
            }
        }
        if (compressed > fileBytes) {
            throw new TooLarge("its header declares a " + compressed + "-byte strip in a " + fileBytes + "-byte file");
        }
        return tile + compressed;
    }

    private static Optional<TIFFDirectory> tiffDirectory(ImageReader reader) {
        try {
            return Optional.of(TIFFDirectory.createFromMetadata(reader.getImageMetadata(0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

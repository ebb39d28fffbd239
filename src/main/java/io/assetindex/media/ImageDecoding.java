package io.assetindex.media;

import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * How pictures are decoded with the JDK: which reader, and how coarsely. Decoding is always
 * sub-sampled to at most {@link #MAX_DECODE_PIXELS} (a 100-megapixel photo costs a few megapixels
 * of memory, whichever size is asked for), and further when only a small picture is wanted.
 */
final class ImageDecoding {
    static final long MAX_DECODE_PIXELS = 4_000_000;

    private ImageDecoding() {}

    /** The JDK's reader for a format name ("JPEG", "PNG" ...), or null when it has none. */
    static ImageReader readerFor(String format) {
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
}

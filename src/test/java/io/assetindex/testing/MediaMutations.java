package io.assetindex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Hostile variants of real media files: the kinds of damage a fuzzer and an attacker reach for
 * in headers. Each mutation is one of: a 32-bit, 16-bit or 64-bit field (either byte order) set
 * to an extreme (0, 1, 0x7FFFFFFF, 0xFFFFFFFF ...), the file cut short, a run of bytes flipped,
 * bytes inserted or removed, a block repeated. Where is mostly within the first kilobytes,
 * where headers are. The choices come from a {@link Choices}: Jazzer's data (coverage-guided)
 * in the fuzz test, a seeded random in the benchmark.
 */
public final class MediaMutations {
    /** The real files mutated: the fixtures in src/test/resources/media and fuzz, one per format. */
    public static final List<String> SEEDS = List.of("media/exif.jpg", "fuzz/progressive.jpg", "fuzz/still.png",
            "fuzz/still.gif", "fuzz/still.tif", "media/still.webp", "media/still.heic", "media/clip.mp4",
            "media/clip.mov", "media/clip.mkv", "media/clip.webm", "fuzz/clip.avi", "media/tone.mp3", "fuzz/tone.wav",
            "media/tone.flac", "media/tone.m4a", "fuzz/tone.aac", "media/tone.ogg", "fuzz/tone.opus",
            "fuzz/tone.aiff");
    private static final long[] EXTREMES = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFFL, 0x80000000L,
            0xFFFFFFFFL, 0xFFFFFFFEL, 0x7FFFFFFFFFFFFFFFL, -1L, 65_535L * 65_535L, 46_000L};
    private static final int HEADER_BYTES = 4096;
    private static final int MAX_MUTATIONS = 6;

    /** Where the choices come from. */
    public interface Choices {
        /** A number from 0 (inclusive) to {@code bound} (exclusive). */
        int pick(int bound);
    }

    /** A mutated file: its extension (which says how it is indexed) and bytes. */
    public record Mutant(String seed, String extension, byte[] bytes) {}

    private MediaMutations() {}

    public static Mutant mutate(Choices choices) {
        String seed = SEEDS.get(choices.pick(SEEDS.size()));
        byte[] bytes = seed(seed);
        int mutations = 1 + choices.pick(MAX_MUTATIONS);
        for (int i = 0; i < mutations && bytes.length > 0; i++) {
            bytes = mutateOnce(bytes, choices);
        }
        return new Mutant(seed, seed.substring(seed.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT), bytes);
    }

    private static byte[] mutateOnce(byte[] bytes, Choices choices) {
        int at = position(bytes.length, choices);
        switch (choices.pick(7)) {
            case 0 -> setField(bytes, at, 4, choices);
            case 1 -> setField(bytes, at, 2, choices);
            case 2 -> setField(bytes, at, 8, choices);
            case 3 -> {
                return Arrays.copyOf(bytes, choices.pick(bytes.length + 1)); // cut short
            }
            case 4 -> {
                for (int i = at; i < Math.min(bytes.length, at + 1 + choices.pick(16)); i++) {
                    bytes[i] ^= (byte) (1 << choices.pick(8));
                }
            }
            case 5 -> {
                return splice(bytes, at, choices.pick(64), new byte[choices.pick(256)]); // remove, insert zeros
            }
            default -> {
                int length = 1 + choices.pick(Math.min(512, bytes.length - at));
                byte[] block = Arrays.copyOfRange(bytes, at, at + length);
                byte[] repeated = new byte[block.length * (1 + choices.pick(32))];
                for (int i = 0; i < repeated.length; i += block.length) {
                    System.arraycopy(block, 0, repeated, i, block.length);
                }
                return splice(bytes, at, 0, repeated);
            }
        }
        return bytes;
    }

    /** Mostly in the header; sometimes anywhere. */
    private static int position(int length, Choices choices) {
        int within = choices.pick(4) == 0 ? length : Math.min(length, HEADER_BYTES);
        return choices.pick(Math.max(1, within));
    }

    private static void setField(byte[] bytes, int at, int width, Choices choices) {
        long value = EXTREMES[choices.pick(EXTREMES.length)];
        boolean bigEndian = choices.pick(2) == 0;
        for (int i = 0; i < width && at + i < bytes.length; i++) {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            bytes[at + i] = (byte) (value >>> shift);
        }
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        int removed = Math.min(remove, bytes.length - at);
        List<byte[]> parts = new ArrayList<>(List.of(Arrays.copyOfRange(bytes, 0, at), insert,
                Arrays.copyOfRange(bytes, at + removed, bytes.length)));
        byte[] out = new byte[parts.stream().mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    /** The bytes of a seed file (a fresh copy). */
    public static byte[] seed(String name) {
        try (InputStream in = MediaMutations.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

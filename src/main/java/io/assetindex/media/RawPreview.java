package io.assetindex.media;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageReader;

/**
 * A camera RAW file's integrity and picture, from its structure and its largest embedded JPEG
 * preview ({@link RawFile}): sound when every data block the file declares lies inside it and
 * the preview decodes cleanly; corrupt when a block lies past the end (a cut copy) or the
 * preview is damaged; a warning when it has no preview to check. The preview is decoded as
 * any JPEG is ({@link ImageDecoding}: sub-sampled, within the memory budget and time limit),
 * from a temporary copy of its bytes, and the picture serves the thumbnail.
 */
final class RawPreview {
    private static final String TOOL = "RAW structure + preview";

    private RawPreview() {}

    /** The checked and decoded preview (at most about {@code previewLongSide} × 2), or the damage found. */
    static IntegrityCheck.Verdict check(MediaTools tools, Path file, String format, long sizeBytes, int previewLongSide)
            throws MediaException, IOException, InterruptedException {
        long start = System.nanoTime();
        RawFile.Structure structure = RawFile.read(file, format);
        if (!structure.problems().isEmpty()) {
            return verdict(new ToolMessages(structure.problems(), List.of()), start, null);
        }
        Optional<Chosen> chosen = choose(file, structure);
        if (chosen.isEmpty()) {
            return verdict(ToolMessages.warning("no embedded JPEG preview to check; the raw data is not decoded"), start,
                    null);
        }
        try {
            ImageDecoding.Decoded decoded = decode(tools, chosen.get(), previewLongSide, sizeBytes);
            if (decoded == null) {
                return verdict(ToolMessages.warning("its preview (" + chosen.get().frame().width() + "x"
                        + chosen.get().frame().height() + ") was not checked: it needs more memory than this process"
                        + " gives pictures"), start, null);
            }
            if (decoded.failed() || !decoded.warnings().isEmpty()) {
                // Any warning of a preview's decoder means damage: a camera writes its previews clean.
                List<String> said = new ArrayList<>();
                if (decoded.failed()) {
                    said.add(decoded.error());
                }
                said.addAll(decoded.warnings());
                return verdict(new ToolMessages(said.stream().map(m -> "its preview is damaged: " + m).toList(),
                        List.of()), start, null);
            }
            return verdict(ToolMessages.NONE, start, decoded.image());
        } finally {
            Files.deleteIfExists(chosen.get().copy());
        }
    }

    private static IntegrityCheck.Verdict verdict(ToolMessages messages, long start, java.awt.image.BufferedImage image) {
        return new IntegrityCheck.Verdict(messages, TOOL, "preview",
                (System.nanoTime() - start) / 1_000_000, image);
    }

    /**
     * The largest preview that is a JPEG the JDK decodes (not the lossless JPEG raw data), copied to
     * a temporary file.
     */
    private record Chosen(Path copy, JpegFrame frame) {}

    private static Optional<Chosen> choose(Path file, RawFile.Structure structure) throws IOException {
        List<RawFile.Preview> previews = new ArrayList<>(structure.previews());
        previews.sort(Comparator.comparingLong(RawFile.Preview::length).reversed());
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (RawFile.Preview preview : previews) {
                if (preview.length() > RawFile.MAX_PREVIEW_BYTES) {
                    continue;
                }
                // Its frame header is read in place: only the one chosen is copied (a hostile file may
                // declare dozens of large blocks that are not JPEGs).
                Optional<JpegFrame> frame = JpegFrame.read(new BoundedInputStream(
                        java.nio.channels.Channels.newInputStream(in.position(preview.offset())), preview.length()));
                if (frame.isPresent() && !frame.get().lossless()) {
                    return Optional.of(new Chosen(copy(in, preview), frame.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The preview's bytes in a temporary file (deleted by the caller). */
    private static Path copy(FileChannel in, RawFile.Preview preview) throws IOException {
        Path copy = Files.createTempFile("asset-index-preview", ".jpg");
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < preview.length()) {
                long n = in.transferTo(preview.offset() + done, preview.length() - done, out);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
            return copy;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /** The decoded preview, or null when it needs more memory than the decode budget allows. */
    private static ImageDecoding.Decoded decode(MediaTools tools, Chosen chosen, int previewLongSide, long sizeBytes)
            throws MediaException, IOException, InterruptedException {
        ImageReader reader = ImageDecoding.readerFor("jpeg");
        Duration limit = MediaTools.limitFor(sizeBytes);
        try {
            return ImageDecoding.decode(reader, chosen.copy(), previewLongSide, limit, tools.decodeBudget());
        } catch (ImageDecoding.TooLarge e) {
            return null;
        } catch (ImageDecoding.TimedOut e) {
            throw MediaException.transientFailure("the preview did not decode within " + limit.toSeconds()
                    + " s; it is tried again later");
        }
    }
}

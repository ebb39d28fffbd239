package io.assetindex.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Recognises audio and video containers by their first bytes, to catch files that are empty
 * of real data, truncated to garbage, or misnamed. It does not check the streams inside;
 * full probing does.
 */
final class ContainerSignature {
    private static final int HEAD_BYTES = 16;

    enum Container {
        ISO_MEDIA("MP4/QuickTime"),
        MATROSKA("Matroska/WebM"),
        AVI("AVI"),
        WAV("WAV"),
        MP3("MP3"),
        AAC("AAC"),
        FLAC("FLAC"),
        OGG("Ogg"),
        ID3("ID3-tagged audio");

        final String label;

        Container(String label) {
            this.label = label;
        }
    }

    /** What each extension may hold. An ID3 tag may precede MP3, AAC or FLAC data. */
    private static final Map<String, Set<Container>> EXPECTED = Map.ofEntries(
            Map.entry("mp4", EnumSet.of(Container.ISO_MEDIA)),
            Map.entry("m4v", EnumSet.of(Container.ISO_MEDIA)),
            Map.entry("mov", EnumSet.of(Container.ISO_MEDIA)),
            Map.entry("m4a", EnumSet.of(Container.ISO_MEDIA)),
            Map.entry("mkv", EnumSet.of(Container.MATROSKA)),
            Map.entry("webm", EnumSet.of(Container.MATROSKA)),
            Map.entry("avi", EnumSet.of(Container.AVI)),
            Map.entry("wav", EnumSet.of(Container.WAV)),
            Map.entry("mp3", EnumSet.of(Container.MP3, Container.ID3)),
            Map.entry("aac", EnumSet.of(Container.AAC, Container.ID3, Container.ISO_MEDIA)),
            Map.entry("flac", EnumSet.of(Container.FLAC, Container.ID3)),
            Map.entry("ogg", EnumSet.of(Container.OGG)),
            Map.entry("opus", EnumSet.of(Container.OGG)));

    private static final Set<String> ISO_BOXES = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot");

    private ContainerSignature() {}

    /**
     * Checks that the file starts like its extension says; returns the container found, or
     * null for an extension this class has no rule for.
     */
    static Container check(Path file, String extension) throws AnalysisException {
        Set<Container> expected = EXPECTED.get(extension);
        if (expected == null) {
            return null;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            throw new AnalysisException("cannot read the file header: " + e.getMessage());
        }
        Container found = detect(head);
        if (found == null || !expected.contains(found)) {
            String wanted = expected.iterator().next().label;
            throw new AnalysisException("does not start like a " + wanted + " file ("
                    + (found == null ? "unrecognised header " + hex(head) : "looks like " + found.label)
                    + "); it may be corrupt, truncated or misnamed");
        }
        return found;
    }

    static Container detect(byte[] head) {
        if (head.length >= 8 && ISO_BOXES.contains(ascii(head, 4, 4))) {
            return Container.ISO_MEDIA;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
                && (head[3] & 0xff) == 0xa3) {
            return Container.MATROSKA;
        }
        if (head.length >= 12 && (ascii(head, 0, 4).equals("RIFF") || ascii(head, 0, 4).equals("RF64"))) {
            String form = ascii(head, 8, 4);
            return form.equals("AVI ") ? Container.AVI : form.equals("WAVE") ? Container.WAV : null;
        }
        if (head.length >= 4 && ascii(head, 0, 4).equals("fLaC")) {
            return Container.FLAC;
        }
        if (head.length >= 4 && ascii(head, 0, 4).equals("OggS")) {
            return Container.OGG;
        }
        if (head.length >= 3 && ascii(head, 0, 3).equals("ID3")) {
            return Container.ID3;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xff) {
            int second = head[1] & 0xff;
            if ((second & 0xf6) == 0xf0) {
                return Container.AAC; // ADTS: sync, MPEG-4/2, layer 00
            }
            if ((second & 0xe0) == 0xe0 && (second & 0x06) != 0) {
                return Container.MP3; // MPEG audio frame sync with a valid layer
            }
        }
        return null;
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static String hex(byte[] head) {
        byte[] shown = Arrays.copyOf(head, Math.min(head.length, 8));
        StringBuilder out = new StringBuilder();
        for (byte b : shown) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }
}

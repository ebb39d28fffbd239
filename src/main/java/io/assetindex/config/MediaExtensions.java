package io.assetindex.config;

import io.assetindex.MediaType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * File extensions as the config names them, and the media type of well-known formats, so that
 * files a scan left out because of their extension come with the config line that would index
 * them. The table only suggests: what is indexed, and as what, is what {@code extensions.*}
 * lists. An extension that is not in it (txt, xmp, pdf, a sidecar or a project file, a format
 * asset-index cannot read) gets no suggestion: it is reported, never proposed for indexing.
 */
public final class MediaExtensions {
    /** What {@code extensions.*} accepts: letters and digits, no dot, lower case once read. */
    private static final Pattern VALID = Pattern.compile("[a-z0-9]{1,16}");

    /**
     * The formats asset-index reads, by extension: every one the built-in defaults list (a test
     * keeps them in), and aliases and containers that the bundled ffmpeg or the JDK read as well
     * (jfif, m4b, mka, ...). Formats it cannot read (JPEG XL, Sigma's X3F, ...) are not here: their
     * files are reported as left out, with no advice that would only make them fail. A few
     * extensions also name other files (.ts is TypeScript too); under a watch path the media
     * meaning is the likely one.
     */
    private static final Map<String, MediaType> WELL_KNOWN = table(Map.of(
            MediaType.IMAGE, "jpg jpeg jpe jfif png gif webp bmp dib tif tiff heic heif avif"
                    + " dng cr2 cr3 nef nrw arw raf orf rw2 pef srw",
            MediaType.VIDEO, "mp4 m4v mov qt mkv webm avi mxf mts m2ts m2t ts mpg mpeg mpe m2v vob dv wmv asf flv f4v"
                    + " 3gp 3g2 ogv",
            MediaType.AUDIO, "mp3 mp2 wav wave bwf flac m4a m4b aac ogg oga opus aif aiff aifc caf wma amr ac3 eac3"
                    + " dts mka ape wv au"));

    private MediaExtensions() {}

    private static Map<String, MediaType> table(Map<MediaType, String> extensionsByType) {
        Map<String, MediaType> byExtension = new HashMap<>();
        extensionsByType.forEach((type, extensions) -> {
            for (String extension : extensions.split(" ")) {
                byExtension.put(extension, type);
            }
        });
        return Map.copyOf(byExtension);
    }

    /** Whether {@code extension} (lower case, no dot) is one the config can list. */
    public static boolean valid(String extension) {
        return VALID.matcher(extension).matches();
    }

    /** The media type of a well-known format with this extension (any case, no dot). */
    public static Optional<MediaType> likelyType(String extension) {
        return Optional.ofNullable(WELL_KNOWN.get(extension.toLowerCase(Locale.ROOT)));
    }

    /**
     * The YAML that indexes {@code additions} on top of what is configured now, one line, as it
     * goes into {@code asset-index.yaml}: {@code extensions: {audio: [aac, mp3, wav, oga]}}. Each
     * list is whole (a config layer replaces a list, never appends to it): what is configured
     * now, sorted, then the additions.
     *
     * @param configured the extensions indexed now, with their type
     * @param additions  extensions to add, with the type to index them as
     */
    public static String configLine(Map<String, MediaType> configured, Map<String, MediaType> additions) {
        Map<MediaType, Collection<String>> added = new TreeMap<>();
        additions.forEach((extension, type) -> added.computeIfAbsent(type, t -> new TreeSet<>()).add(extension));
        List<String> lists = new ArrayList<>();
        added.forEach((type, extensions) -> {
            List<String> list = new ArrayList<>(new TreeSet<>(configured.entrySet().stream()
                    .filter(entry -> entry.getValue() == type).map(Map.Entry::getKey).toList()));
            list.addAll(extensions);
            lists.add(type.id() + ": [" + String.join(", ", list) + "]");
        });
        return "extensions: {" + String.join(", ", lists) + "}";
    }
}

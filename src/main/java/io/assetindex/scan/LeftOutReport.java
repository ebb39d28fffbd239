package io.assetindex.scan;

import io.assetindex.MediaType;
import io.assetindex.config.MediaExtensions;
import io.assetindex.store.LeftOut;
import io.assetindex.util.Text;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files left out because the config does not list their extension, as {@code scan},
 * {@code status} and {@code doctor} show them: each extension with the media type of the
 * well-known format it names (null for the rest: sidecars, documents, project files), and the
 * config line that would index the media ones. The other extensions are reported, never
 * proposed for indexing, so a folder of sidecar files costs one line and no advice. The JSON
 * of {@code scan --json} and {@code status --json}; {@code status} reads it back for its text.
 *
 * @param files      every file left out
 * @param extensions per extension, most files first
 * @param otherFiles files with extensions beyond the ones a walk keeps
 * @param config     the YAML that indexes the media extensions among them, for {@code asset-index.yaml};
 *                   null when none is
 */
public record LeftOutReport(long files, Map<String, Extension> extensions, long otherFiles, String config) {
    /** Extensions named in the text; the JSON has them all. */
    static final int SHOWN = 5;

    /**
     * @param example   the first file found, as the index shows paths
     * @param mediaType the type to index it as (image, video, audio), or null when it is no known media format
     */
    public record Extension(long files, String example, String mediaType) {}

    public LeftOutReport {
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * @param configured the extensions the config lists now: a count made before they were listed
     *                   drops them (the next scan indexes those files)
     */
    public static LeftOutReport of(LeftOut leftOut, Map<String, MediaType> configured) {
        Map<String, Extension> extensions = new LinkedHashMap<>();
        Map<String, MediaType> media = new LinkedHashMap<>();
        long files = leftOut.otherFiles();
        for (Map.Entry<String, LeftOut.Extension> entry : leftOut.byExtension().entrySet()) {
            String extension = entry.getKey();
            if (configured.containsKey(extension)) {
                continue;
            }
            MediaType type = MediaExtensions.likelyType(extension).orElse(null);
            if (type != null) {
                media.put(extension, type);
            }
            extensions.put(extension, new Extension(entry.getValue().files(), entry.getValue().example(),
                    type == null ? null : type.id()));
            files += entry.getValue().files();
        }
        return new LeftOutReport(files, extensions, leftOut.otherFiles(),
                media.isEmpty() ? null : MediaExtensions.configLine(configured, media));
    }

    /**
     * For people: {@code 27 .oga (e.g. raw_assets/sounds/bell.oga), 3 .txt (e.g. raw_assets/notes.txt)},
     * media extensions first, the rest counted as "N with other extensions".
     */
    public String listing() {
        List<String> shown = new ArrayList<>();
        long notShown = otherFiles;
        List<Map.Entry<String, Extension>> mediaFirst = extensions.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Extension> e) -> e.getValue().mediaType() == null))
                .toList();
        for (Map.Entry<String, Extension> entry : mediaFirst) {
            if (shown.size() < SHOWN) {
                shown.add(entry.getValue().files() + " ." + entry.getKey() + " (e.g. "
                        + Text.escapeControls(entry.getValue().example()) + ")");
            } else {
                notShown += entry.getValue().files();
            }
        }
        if (notShown > 0) {
            shown.add(notShown + " with other extensions");
        }
        return String.join(", ", shown);
    }

    /**
     * What to do to index the media ones: {@code to index .oga, set extensions: {…} in asset-index.yaml};
     * null when none is media.
     */
    public String advice() {
        if (config == null) {
            return null;
        }
        List<String> media = extensions.entrySet().stream().filter(e -> e.getValue().mediaType() != null)
                .map(e -> "." + e.getKey()).toList();
        String named = media.size() == 1 ? media.get(0)
                : String.join(", ", media.subList(0, media.size() - 1)) + " and " + media.get(media.size() - 1);
        return "to index " + named + ", set " + config + " in asset-index.yaml";
    }
}

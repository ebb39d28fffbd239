package io.assetindex.embed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text embedded for an asset, from what the index knows about it: file and folder names
 * split into words, job id, media type, orientation and size class, duration, camera and
 * capture date, audio tags, and, when an AI describer has run, its style, summary, tags, mood,
 * scenes and transcript. Parts are separated by ". " so the model reads them as phrases.
 * Changing how the text is built changes {@link #VERSION}, which re-embeds every asset.
 */
public final class EmbedSource {
    public static final String VERSION = "1";
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern CAMEL = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})");
    private static final Pattern TRAILING_STOPS = Pattern.compile("^\\s+|[.\\s]+$");
    private static final int MAX_CHARS = 2000;

    private EmbedSource() {}

    /**
     * @param relPath  the asset's path relative to its watch root, "/" separated
     * @param jobId    its job, or null
     * @param facts    what the analyzers found, by analyzer name (probe, describe, transcribe ...)
     */
    public static String build(String relPath, String jobId, String mediaType, JsonNode facts) {
        List<String> parts = new ArrayList<>();
        String[] segments = relPath.split("/");
        String name = segments[segments.length - 1].replaceFirst("\\.[^.]*$", "");
        parts.add(words(name));
        if (segments.length > 1) {
            List<String> folders = new ArrayList<>();
            for (int i = 0; i < segments.length - 1; i++) {
                folders.add(words(segments[i]));
            }
            parts.add("in " + String.join(" / ", folders));
        }
        if (jobId != null) {
            parts.add("job " + words(jobId));
        }
        JsonNode probe = facts.path("probe");
        parts.add(shape(mediaType, probe));
        if (probe.has("duration_seconds")) {
            parts.add(duration(probe.get("duration_seconds").asDouble()));
        }
        String camera = (probe.path("camera_make").asText("") + " " + probe.path("camera_model").asText("")).strip();
        if (!camera.isEmpty()) {
            parts.add("shot on " + camera);
        }
        String date = probe.path("captured_at").asText(probe.path("created_at").asText(""));
        if (date.length() >= 10) {
            parts.add("taken " + date.substring(0, 10));
        }
        JsonNode tags = probe.path("tags");
        for (String tag : List.of("title", "artist", "album", "genre")) {
            if (tags.hasNonNull(tag)) {
                parts.add(tag + " " + tags.get(tag).asText());
            }
        }
        JsonNode describe = facts.path("describe");
        for (String field : List.of("style", "summary")) {
            if (describe.hasNonNull(field)) {
                parts.add(describe.get(field).asText());
            }
        }
        for (String field : List.of("tags", "mood", "scenes")) {
            JsonNode values = describe.path(field + "_json");
            if (values.isArray() && !values.isEmpty()) {
                List<String> items = new ArrayList<>();
                values.forEach(v -> items.add(v.isTextual() ? v.asText() : v.path("description").asText(v.toString())));
                parts.add(field + ": " + String.join(", ", items));
            }
        }
        if (describe.hasNonNull("audio_role")) {
            parts.add(describe.get("audio_role").asText().replace('_', ' '));
        }
        JsonNode transcript = facts.path("transcribe").path("transcript");
        if (transcript.isTextual() && !transcript.asText().isBlank()) {
            parts.add("says: " + transcript.asText());
        }
        Set<String> distinct = new LinkedHashSet<>();
        parts.stream().map(part -> TRAILING_STOPS.matcher(part).replaceAll("")).filter(p -> !p.isEmpty())
                .forEach(distinct::add);
        String text = String.join(". ", distinct);
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
    }

    /** "DJI_0042-beachSunset" becomes "dji 0042 beach sunset". */
    static String words(String text) {
        return WORD_BREAK.matcher(CAMEL.matcher(text).replaceAll(" ")).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
    }

    private static String shape(String mediaType, JsonNode probe) {
        int width = probe.path("width").asInt(0);
        int height = probe.path("height").asInt(0);
        if (width <= 0 || height <= 0) {
            return mediaType;
        }
        String orientation = width > height * 1.1 ? "landscape" : height > width * 1.1 ? "portrait" : "square";
        long pixels = (long) width * height;
        String size = pixels < 500_000 ? "small" : pixels < 4_000_000 ? "medium" : pixels < 16_000_000 ? "large" : "huge";
        return size + " " + orientation + " " + mediaType;
    }

    private static String duration(double seconds) {
        if (seconds < 60) {
            return Math.round(seconds) + " seconds long" + (seconds < 15 ? ", a short clip" : "");
        }
        long minutes = Math.round(seconds / 60);
        return minutes + " minutes long";
    }
}

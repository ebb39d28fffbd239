package io.assetindex.maintain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.assetindex.MediaType;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import io.assetindex.util.Timestamps;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The values an import may store, each checked as the rest of the program reads it back. The
 * {@code assets} columns are listed here with their kind; a key of an export's asset that has no
 * rule is not imported (a newer exporter's column this index does not know). The JSON columns
 * must hold what {@code search --tag} (SQLite's {@code json_each}), {@code show --json} and the
 * embedder's text read: tags and mood are lists of text, scenes a list of objects, raw_json an
 * object.
 */
final class ImportedValues {
    /** What a value may be. */
    enum Kind {
        /** A SHA-256 in lowercase hex. */
        ID,
        /** Text, possibly empty. */
        TEXT,
        /** Text with at least one character. */
        NAME,
        /** image, video or audio. */
        MEDIA_TYPE,
        /** A whole number, zero or more. */
        COUNT,
        /** A whole number of any sign. */
        INTEGER,
        /** A finite number. */
        NUMBER,
        /** A finite number, zero or more. */
        AMOUNT,
        /** true/false, or 1/0 as SQLite stores it. */
        FLAG,
        /** A stored timestamp: UTC, milliseconds, fixed width (text order is time order). */
        TIMESTAMP,
        /** Text holding a JSON list of text (tags, mood). */
        WORDS,
        /** Text holding a JSON list of objects (scenes). */
        SCENES,
        /** Text holding a JSON object (raw_json). */
        OBJECT
    }

    /** One column's rule. */
    record Rule(Kind kind, boolean required) {}

    /** Every column of {@code assets} but file_path (where the file is here, set by the import). */
    static final Map<String, Rule> ASSET_COLUMNS = columns(
            "id", Kind.ID, true, "file_name", Kind.NAME, true, "source_root", Kind.TEXT, false,
            "job_id", Kind.TEXT, false, "media_type", Kind.MEDIA_TYPE, true, "size_bytes", Kind.COUNT, true,
            "mtime", Kind.NUMBER, true, "width", Kind.COUNT, false, "height", Kind.COUNT, false,
            "duration_seconds", Kind.AMOUNT, false, "fps", Kind.AMOUNT, false, "has_audio", Kind.FLAG, false,
            "style", Kind.TEXT, false, "summary", Kind.TEXT, false, "transcript", Kind.TEXT, false,
            "audio_role", Kind.TEXT, false, "tags_json", Kind.WORDS, false, "mood_json", Kind.WORDS, false,
            "scenes_json", Kind.SCENES, false, "raw_json", Kind.OBJECT, false, "embed_source", Kind.TEXT, false,
            "embed_model", Kind.TEXT, false, "indexed_at", Kind.TIMESTAMP, true);

    /**
     * Keys of an analyzer's result that become those columns when the facts are rebuilt from the
     * cache (a re-analysis): there they are JSON values, not text.
     */
    static final Map<String, Kind> RESULT_JSON_FIELDS = Map.of("tags_json", Kind.WORDS, "mood_json", Kind.WORDS,
            "scenes_json", Kind.SCENES);

    /** The readers' own parser and limits; text after the value would make SQLite's json_each fail. */
    private static final ObjectReader JSON_TEXT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern STORED_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final List<String> MEDIA_TYPES = Arrays.stream(MediaType.values()).map(MediaType::id).toList();

    private ImportedValues() {}

    private static Map<String, Rule> columns(Object... triples) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            rules.put((String) triples[i], new Rule((Kind) triples[i + 1], (Boolean) triples[i + 2]));
        }
        return Collections.unmodifiableMap(rules);
    }

    /** The asset's columns as the store takes them (Long, Double, Integer 0/1, String, null). */
    static Map<String, Object> assetColumns(JsonNode asset) {
        if (!asset.isObject()) {
            throw new BadLine("asset", "not an object");
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        ASSET_COLUMNS.forEach((name, rule) -> columns.put(name, value("asset." + name, asset.path(name), rule)));
        return columns;
    }

    /** The value of {@code node}, or null when it is absent and may be. */
    static Object value(String field, JsonNode node, Rule rule) {
        if (node.isMissingNode() || node.isNull()) {
            if (rule.required()) {
                throw new BadLine(field, "missing");
            }
            return null;
        }
        return value(field, node, rule.kind());
    }

    private static Object value(String field, JsonNode node, Kind kind) {
        return switch (kind) {
            case ID -> matching(field, node, ID, "not a SHA-256 in lowercase hex");
            case TEXT -> text(field, node);
            case NAME -> {
                String text = text(field, node);
                if (text.isEmpty()) {
                    throw new BadLine(field, "empty");
                }
                yield text;
            }
            case MEDIA_TYPE -> {
                String text = text(field, node);
                if (!MEDIA_TYPES.contains(text)) {
                    throw new BadLine(field, node + " is not one of " + String.join(", ", MEDIA_TYPES));
                }
                yield text;
            }
            case COUNT -> count(field, node);
            case INTEGER -> integer(field, node);
            case NUMBER -> number(field, node, false);
            case AMOUNT -> number(field, node, true);
            case FLAG -> flag(field, node);
            case TIMESTAMP -> timestamp(field, node);
            case WORDS, SCENES, OBJECT -> {
                String text = text(field, node);
                JsonNode json;
                try {
                    json = JSON_TEXT.readTree(text);
                } catch (JacksonException e) {
                    throw new BadLine(field, "not JSON (" + e.getOriginalMessage() + ")");
                }
                checkShape(field, json, kind);
                yield text;
            }
        };
    }

    /** A JSON value of a WORDS, SCENES or OBJECT kind. */
    static void checkShape(String field, JsonNode json, Kind kind) {
        switch (kind) {
            case WORDS -> {
                if (json == null || !json.isArray()) {
                    throw new BadLine(field, "not a JSON list of text");
                }
                json.forEach(word -> {
                    if (!word.isTextual()) {
                        throw new BadLine(field, "not a JSON list of text (it holds " + word + ")");
                    }
                });
            }
            case SCENES -> {
                if (json == null || !json.isArray()) {
                    throw new BadLine(field, "not a JSON list of scenes");
                }
                json.forEach(scene -> {
                    if (!scene.isObject()) {
                        throw new BadLine(field, "not a JSON list of scenes (objects); it holds " + scene);
                    }
                });
            }
            case OBJECT -> {
                if (json == null || !json.isObject()) {
                    throw new BadLine(field, "not a JSON object");
                }
            }
            default -> throw new IllegalArgumentException(kind + " is not a JSON shape");
        }
    }

    static String text(String field, JsonNode node) {
        if (!node.isTextual()) {
            throw new BadLine(field, "not text (" + brief(node) + ")");
        }
        return node.asText();
    }

    static String matching(String field, JsonNode node, Pattern pattern, String problem) {
        String text = text(field, node);
        if (!pattern.matcher(text).matches()) {
            throw new BadLine(field, "'" + brief(text) + "' is " + problem);
        }
        return text;
    }

    static long count(String field, JsonNode node) {
        long value = integer(field, node);
        if (value < 0) {
            throw new BadLine(field, value + " is negative");
        }
        return value;
    }

    static long integer(String field, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new BadLine(field, "not a whole number (" + brief(node) + ")");
        }
        return node.asLong();
    }

    private static double number(String field, JsonNode node, boolean nonNegative) {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new BadLine(field, "not a finite number (" + brief(node) + ")");
        }
        if (nonNegative && node.asDouble() < 0) {
            throw new BadLine(field, node + " is negative");
        }
        return node.asDouble();
    }

    private static int flag(String field, JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean() ? 1 : 0;
        }
        if (node.isIntegralNumber() && (node.asLong() == 0 || node.asLong() == 1)) {
            return node.asInt();
        }
        throw new BadLine(field, "not true/false or 1/0 (" + brief(node) + ")");
    }

    private static String timestamp(String field, JsonNode node) {
        String text = text(field, node);
        try {
            if (STORED_TIME.matcher(text).matches()) {
                Timestamps.parse(text);
                return text;
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw new BadLine(field, "'" + brief(text) + "' is not a UTC time like 2026-11-21T09:30:00.000Z");
    }

    /** A value as it can be quoted in one line. */
    static String brief(Object value) {
        String text = String.valueOf(value);
        return Text.escapeControls(text.length() <= 60 ? text : text.substring(0, 57) + "...");
    }
}

package io.assetindex.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The one JSON mapper (thread-safe once configured) and small helpers around it. */
public final class Json {
    /**
     * Records are written with snake_case keys, like the database columns and DESIGN.md; file
     * paths as people type them ({@code /srv/media/x.db}, not Jackson's {@code file:///} URI).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance));

    private Json() {}

    /** Compact JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented JSON text, for people and {@code --json} output. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * The words of a JSON list of text (an asset's tags or mood, as the describer and import write
     * them): [] for null or anything else; entries that are not text (a damaged row) are left out.
     */
    public static java.util.List<String> textList(String json) {
        if (json == null) {
            return java.util.List.of();
        }
        JsonNode list;
        try {
            list = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return java.util.List.of();
        }
        java.util.List<String> words = new java.util.ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(word -> {
                if (word.isTextual()) {
                    words.add(word.asText());
                }
            });
        }
        return words;
    }
}

package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.ConfigSnapshot;
import io.assetindex.util.Json;
import java.time.Instant;

/**
 * What an analyzer's results depend on (its version and settings), in two forms made from the
 * same values: the canonical text whose hash is its config hash, and the same settings as a JSON
 * object for people. The pair is stored once per hash ({@link ConfigSnapshot}), so a result made
 * under settings that have changed since can still be explained. Never holds a secret: API keys
 * are not settings, and API addresses are refused when they carry one (see the config).
 *
 * @param analyzer the analyzer's name, or {@link #PIPELINE} for the analyzers that judge a new file together
 * @param text     the exact text hashed: {@code ConfigHash.of(text)} is the config hash
 * @param json     a JSON object of the same settings, e.g. {@code {"version":"1","size":256,"quality":85}}
 */
public record AnalyzerSettings(String analyzer, String text, String json) {
    /** The name the whole pipeline's settings are stored under (the hash failed files are remembered with). */
    public static final String PIPELINE = "pipeline";

    /**
     * The settings of an analyzer whose text is {@code name/version/key=value/...}, e.g.
     * {@code thumbnail/1/size=256/quality=85}: values as {@link String#valueOf} writes them
     * (null as {@code null}), the same values in the JSON, with {@code version} first.
     *
     * @param keysAndValues a key, then its value (text, number, true/false or null), and so on
     */
    static AnalyzerSettings of(String analyzer, String version, Object... keysAndValues) {
        StringBuilder text = new StringBuilder(analyzer).append('/').append(version);
        ObjectNode json = Json.object();
        json.put("version", version);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            Object value = keysAndValues[i + 1];
            text.append('/').append(key).append('=').append(value);
            json.set(key, Json.MAPPER.valueToTree(value));
        }
        return new AnalyzerSettings(analyzer, text.toString(), Json.write(json));
    }

    /** {@code sha256:<hex>} of {@link #text()}. */
    public String configHash() {
        return ConfigHash.of(text);
    }

    /** The row that records these settings, first recorded by this program version at this time. */
    public ConfigSnapshot snapshot(String programVersion, Instant recordedAt) {
        return new ConfigSnapshot(configHash(), analyzer, text, json, programVersion, recordedAt);
    }
}

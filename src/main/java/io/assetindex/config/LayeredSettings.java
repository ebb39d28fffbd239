package io.assetindex.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Settings merged from several sources, remembering which source set each key.
 *
 * <p>The built-in defaults are the schema: a layer may only set keys that the defaults
 * have, and a key whose default is a mapping must be given as a mapping. A later layer
 * replaces the values of an earlier one key by key (lists are replaced, not appended).
 */
final class LayeredSettings {
    static final String BUILT_IN = "built-in defaults";

    private final ObjectNode merged;
    private final Map<String, String> originByKey = new HashMap<>();

    LayeredSettings(ObjectNode defaults) {
        this.merged = defaults.deepCopy();
    }

    /** Applies {@code layer} on top; fails on the first key the defaults do not have. */
    void overlay(ObjectNode layer, String source) {
        overlay(merged, layer, "", source);
    }

    private void overlay(ObjectNode target, ObjectNode layer, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = layer.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode schema = target.get(field.getKey());
            if (schema == null) {
                throw new ConfigException("unknown config key '" + key + "' in " + source
                        + "; allowed keys" + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'")
                        + ": " + String.join(", ", keysOf(target)));
            }
            JsonNode value = field.getValue();
            if (schema.isObject()) {
                if (!value.isObject()) {
                    throw new ConfigException("bad config value " + key + ": " + value + " (from " + source
                            + "); allowed: a mapping with keys " + String.join(", ", keysOf((ObjectNode) schema)));
                }
                overlay((ObjectNode) schema, (ObjectNode) value, key + ".", source);
            } else {
                target.set(field.getKey(), value);
                originByKey.put(key, source);
            }
        }
    }

    /** Whether {@code dottedKey} names a setting (a leaf of the defaults). */
    boolean isLeaf(String dottedKey) {
        JsonNode node = find(dottedKey);
        return node != null && !node.isObject();
    }

    /** Whether the default of {@code dottedKey} is a list. */
    boolean isList(String dottedKey) {
        JsonNode node = find(dottedKey);
        return node != null && node.isArray();
    }

    List<String> leafKeys() {
        List<String> keys = new ArrayList<>();
        collectLeafKeys(merged, "", keys);
        return keys;
    }

    JsonNode get(String dottedKey) {
        JsonNode node = find(dottedKey);
        if (node == null) {
            throw new IllegalArgumentException("no such setting: " + dottedKey);
        }
        return node;
    }

    String originOf(String dottedKey) {
        return originByKey.getOrDefault(dottedKey, BUILT_IN);
    }

    private JsonNode find(String dottedKey) {
        JsonNode node = merged;
        for (String part : dottedKey.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private static void collectLeafKeys(ObjectNode node, String prefix, List<String> out) {
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                collectLeafKeys((ObjectNode) field.getValue(), prefix + field.getKey() + ".", out);
            } else {
                out.add(prefix + field.getKey());
            }
        });
    }

    private static List<String> keysOf(ObjectNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}

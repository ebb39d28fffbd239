package io.assetindex.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the one {@link AppConfig} of a run from, lowest precedence first: the built-in
 * defaults ({@code config/asset-index.yaml}, packaged into the jar), the workspace's
 * {@code asset-index.yaml}, a {@code --config FILE}, {@code ASSET_INDEX_*} environment
 * variables, and command-line flags. Any problem is a {@link ConfigException} whose message
 * names the key, the value, where it came from and what is allowed.
 */
public final class ConfigLoader {
    public static final String WORKSPACE_CONFIG_FILE = "asset-index.yaml";
    static final String ENV_PREFIX = "ASSET_INDEX_";
    /** Environment variables with our prefix that are not settings (the last three are the launcher's). */
    private static final Set<String> ENV_NOT_SETTINGS = Set.of("ASSET_INDEX_WORKSPACE", "ASSET_INDEX_CONFIG",
            "ASSET_INDEX_JAVA_OPTS", "ASSET_INDEX_JAR", "ASSET_INDEX_NO_CDS");
    private static final String DEFAULTS_RESOURCE = "asset-index.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Where settings come from.
     *
     * @param workspaceDir the workspace folder (must exist)
     * @param configFile   a file given with {@code --config}, or null
     * @param environment  the process environment
     * @param flags        settings from command-line flags, by dotted key, as YAML text
     */
    public record Sources(Path workspaceDir, Path configFile, Map<String, String> environment, Map<String, String> flags) {
        public Sources {
            environment = Map.copyOf(environment);
            flags = Map.copyOf(flags);
        }
    }

    private ConfigLoader() {}

    public static AppConfig load(Sources sources) {
        Workspace workspace = openWorkspace(sources.workspaceDir());
        LayeredSettings settings = new LayeredSettings(readDefaults());
        Path workspaceFile = workspace.root().resolve(WORKSPACE_CONFIG_FILE);
        if (Files.isRegularFile(workspaceFile)) {
            settings.overlay(readYamlFile(workspaceFile), workspaceFile.toString());
        }
        if (sources.configFile() != null) {
            Path file = sources.configFile().toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " does not exist; fix the --config path");
            }
            settings.overlay(readYamlFile(file), file.toString());
        }
        settings.overlay(environmentLayer(settings, sources.environment()), "the environment");
        for (Map.Entry<String, String> flag : new TreeMap<>(sources.flags()).entrySet()) {
            settings.overlay(layerFor(settings, flag.getKey(), flag.getValue(), "command line"), "the command line");
        }
        return new ConfigValidator(settings, workspace).validate();
    }

    private static Workspace openWorkspace(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ConfigException("workspace " + absolute
                    + " is not a folder; create it or pass --workspace DIR (or set ASSET_INDEX_WORKSPACE)");
        }
        return new Workspace(absolute);
    }

    static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in defaults missing from the jar: " + DEFAULTS_RESOURCE);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readYamlFile(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException("config file " + file + " is not valid YAML" + where(e.getLocation())
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse("syntax error"));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must be a mapping of keys to values, not "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) root;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr();
    }

    /** {@code ASSET_INDEX_LOGS__MAX_FILE_MB=20} sets {@code logs.max_file_mb}. */
    private static ObjectNode environmentLayer(LayeredSettings settings, Map<String, String> environment) {
        ObjectNode layer = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX) || ENV_NOT_SETTINGS.contains(name)) {
                continue;
            }
            String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", ".");
            if (!settings.isLeaf(key)) {
                throw new ConfigException("unknown setting in environment variable " + name
                        + "; settings are ASSET_INDEX_ followed by a key in upper case, e.g. "
                        + settings.leafKeys().stream().map(ConfigLoader::envName).limit(4).toList());
            }
            merge(layer, layerFor(settings, key, variable.getValue(), "environment variable " + name));
        }
        return layer;
    }

    static String envName(String dottedKey) {
        return ENV_PREFIX + dottedKey.replace(".", "__").toUpperCase(Locale.ROOT);
    }

    /** A one-key layer from a textual value, parsed as YAML; a scalar given for a list becomes a one-item list. */
    private static ObjectNode layerFor(LayeredSettings settings, String dottedKey, String text, String source) {
        JsonNode value;
        try {
            value = YAML.readTree(text.isBlank() ? "null" : text);
        } catch (IOException e) {
            throw new ConfigException("bad config value " + dottedKey + ": "
                    + ConfigValidator.shown(dottedKey, JsonNodeFactory.instance.textNode(text)) + " (from " + source
                    + "); allowed: a YAML value, e.g. 4, 1.5, name or [a, b]");
        }
        if (value == null || value.isMissingNode()) {
            value = JsonNodeFactory.instance.nullNode();
        }
        if (settings.isList(dottedKey) && !value.isArray() && !value.isNull()) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            list.add(value);
            value = list;
        }
        ObjectNode layer = JsonNodeFactory.instance.objectNode();
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = layer;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
        return layer;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.properties().forEach(field -> {
            JsonNode existing = into.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        });
    }
}

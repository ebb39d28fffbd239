package io.assetindex.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.assetindex.MediaType;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns merged settings into an {@link AppConfig}, checking every value once. */
final class ConfigValidator {
    private static final int MAX_WORKERS = 256;

    private final LayeredSettings settings;
    private final Workspace workspace;

    ConfigValidator(LayeredSettings settings, Workspace workspace) {
        this.settings = settings;
        this.workspace = workspace;
    }

    AppConfig validate() {
        List<String> watchPaths = pathList("watch_paths", false);
        List<String> jobsRoots = pathList("jobs_roots", true);
        for (String jobsRoot : jobsRoots) {
            if (!watchPaths.contains(jobsRoot)) {
                throw bad("jobs_roots", settings.get("jobs_roots"), "only entries of watch_paths " + watchPaths);
            }
        }
        List<String> pollPaths = pathList("poll_paths", true);
        for (String pollPath : pollPaths) {
            if (!watchPaths.contains(pollPath)) {
                throw bad("poll_paths", settings.get("poll_paths"), "only entries of watch_paths " + watchPaths);
            }
        }
        double debounceSeconds = number("debounce_seconds", 0, 3600, "a number of seconds from 0 to 3600");
        double debounceMaxSeconds = number("debounce_max_seconds", 0, 86_400,
                "a number of seconds from 0 to 86400, at least debounce_seconds");
        if (debounceMaxSeconds < debounceSeconds) {
            throw bad("debounce_max_seconds", settings.get("debounce_max_seconds"),
                    "at least debounce_seconds (" + debounceSeconds + ")");
        }
        List<WatchRoot> roots = new ArrayList<>();
        for (String name : watchPaths) {
            roots.add(new WatchRoot(name, workspace.root().resolve(name).normalize(), jobsRoots.contains(name)));
        }
        int workers = wholeNumber("workers", 0, MAX_WORKERS, "0 (one per CPU core) or a whole number up to " + MAX_WORKERS);
        return new AppConfig(
                workspace,
                roots,
                debounceSeconds,
                debounceMaxSeconds,
                pollPaths,
                number("poll_interval_seconds", 1, 86_400, "a number of seconds from 1 to 86400"),
                wholeNumber("max_pending_paths", 2, 10_000_000, "a whole number from 2 to 10000000"),
                globs("ignore"),
                workers == 0 ? Runtime.getRuntime().availableProcessors() : workers,
                extensions(),
                new MediaSettings(executable("media.ffprobe_path"), executable("media.ffmpeg_path"),
                        bool("media.integrity_deep"),
                        wholeNumber("media.thumbnail_size", 0, 4096, "0 (no thumbnails) or a size in pixels up to 4096"),
                        wholeNumber("media.thumbnail_quality", 1, 100, "a JPEG quality from 1 to 100")),
                embedding(),
                ai(),
                wholeNumber("logs.max_file_mb", 1, 1024, "a whole number of MiB from 1 to 1024") * 1024L * 1024L,
                wholeNumber("logs.keep_files", 1, 20, "a whole number from 1 to 20"),
                wholeNumber("process_log_retention_days", 0, 36_500,
                        "0 (keep every row) or a whole number of days up to 36500"),
                server(),
                database(),
                new IntegrityRules(ignoreRules()),
                new VerifySettings(wholeNumber("verify.every_days", 0, 36_500,
                        "0 (no scheduled re-verification) or a whole number of days up to 36500"),
                        number("verify.max_mb_per_second", 0, 100_000,
                                "0 (no limit) or a number of MB per second up to 100000")),
                hostName());
    }

    /** Longest host name: a DNS name's limit. */
    static final int MAX_HOST_NAME_CHARS = 255;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * The machine's name as paths record it: {@code host_name}, or (null, the default) the name the
     * machine gives itself. Letters, digits, dots, dashes and underscores only, so that it reads
     * plainly in {@code host:path} and in every log line.
     */
    private String hostName() {
        String allowed = "null (the machine's name) or letters, digits, '.', '-' and '_', starting with a letter or"
                + " digit, at most " + MAX_HOST_NAME_CHARS + " characters";
        JsonNode value = settings.get("host_name");
        if (!value.isNull() && (!value.isTextual() || value.asText().isBlank())) {
            throw bad("host_name", value, allowed);
        }
        String configured = optionalText("host_name");
        String name = configured == null ? io.assetindex.util.ProcessOwner.host() : configured;
        if (name.length() > MAX_HOST_NAME_CHARS || !HOST_NAME.matcher(name).matches()) {
            throw configured == null
                    ? new ConfigException("this machine's name '" + name + "' cannot name it in the index; set"
                            + " host_name to letters, digits, '.', '-' and '_' (at most " + MAX_HOST_NAME_CHARS
                            + " characters)")
                    : bad("host_name", value, allowed);
        }
        return name;
    }

    private List<IgnoreRule> ignoreRules() {
        String key = "integrity.ignore_patterns";
        String allowed = "a list of regular expressions, each a text or a mapping {pattern: REGEX, types: [image,"
                + " video, audio], extensions: [mp4, ...]}";
        JsonNode value = settings.get(key);
        if (!value.isArray()) {
            throw bad(key, value, allowed);
        }
        List<IgnoreRule> rules = new ArrayList<>();
        for (JsonNode item : value) {
            JsonNode pattern = item.isObject() ? item.path("pattern") : item;
            Set<String> keys = new LinkedHashSet<>();
            item.fieldNames().forEachRemaining(keys::add);
            keys.removeAll(Set.of("pattern", "types", "extensions"));
            if (!pattern.isTextual() || pattern.asText().isBlank() || !keys.isEmpty()) {
                throw bad(key, value, allowed + (keys.isEmpty() ? "" : "; unknown key " + keys.iterator().next()));
            }
            if (pattern.asText().length() > IgnoreRule.MAX_PATTERN_CHARS) {
                throw bad(key, value, "patterns of at most " + IgnoreRule.MAX_PATTERN_CHARS + " characters");
            }
            rules.add(new IgnoreRule(regex(key, value, pattern.asText()), mediaTypes(key, value, item.path("types")),
                    ruleExtensions(key, value, item.path("extensions"))));
        }
        return rules;
    }

    private Pattern regex(String key, JsonNode value, String pattern) {
        try {
            return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw bad(key, value, "regular expressions (Java syntax); '" + pattern + "' is not one ("
                    + e.getDescription() + " at character " + e.getIndex() + ")");
        }
    }

    private Set<MediaType> mediaTypes(String key, JsonNode value, JsonNode types) {
        Set<MediaType> out = new LinkedHashSet<>();
        for (String id : ruleList(key, value, types, "types: a list of image, video, audio")) {
            try {
                out.add(MediaType.fromId(id.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad(key, value, "types: a list of image, video, audio; '" + id + "' is not one");
            }
        }
        return out;
    }

    private Set<String> ruleExtensions(String key, JsonNode value, JsonNode extensions) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : ruleList(key, value, extensions, "extensions: a list of file extensions such as [mp4, mov]")) {
            String extension = raw.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
            if (!MediaExtensions.valid(extension)) {
                throw bad(key, value, "extensions: a list of file extensions such as [mp4, mov]; '" + raw
                        + "' is not one");
            }
            out.add(extension);
        }
        return out;
    }

    /** A rule's list of texts; a missing one is empty. */
    private List<String> ruleList(String key, JsonNode value, JsonNode list, String allowed) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw bad(key, value, allowed);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual() && !item.isNumber()) {
                throw bad(key, value, allowed);
            }
            out.add(item.asText().strip());
        }
        return out;
    }

    private ServerSettings server() {
        String address = text("server.address", "an IP address (127.0.0.1, ::1, 0.0.0.0, 192.168.1.20 ...) or localhost");
        if (!address.equalsIgnoreCase("localhost") && !ServerSettings.literal(address)) {
            throw bad("server.address", settings.get("server.address"),
                    "an IP address (127.0.0.1, ::1, 0.0.0.0, 192.168.1.20 ...) or localhost");
        }
        String tokenEnv = variableName("server.token_env");
        ServerSettings server = new ServerSettings(bool("server.enabled"), address,
                wholeNumber("server.port", 0, 65_535, "a port from 1 to 65535, or 0 for any free one"), tokenEnv);
        if (server.enabled() && !server.loopback() && tokenEnv == null) {
            throw bad("server.address", settings.get("server.address"), "a loopback address (127.0.0.1, ::1,"
                    + " localhost) unless server.token_env names the environment variable holding a token that every"
                    + " request must carry: other machines could reach the index otherwise");
        }
        return server;
    }

    private EmbeddingSettings embedding() {
        String provider = text("embedding.provider", "local or openai");
        if (!provider.equals(EmbeddingSettings.LOCAL) && !provider.equals(EmbeddingSettings.OPENAI)) {
            throw bad("embedding.provider", settings.get("embedding.provider"), "local or openai");
        }
        String model = text("embedding.model", "a model name");
        String apiKeyEnv = variableName("embedding.api_key_env");
        URI url = baseUrl("embedding.base_url");
        boolean plainHttpKey = bool("embedding.allow_plain_http_key");
        URI baseUrl = null;
        if (provider.equals(EmbeddingSettings.LOCAL)) {
            if (!model.equals(EmbeddingSettings.LOCAL_MODEL)) {
                throw bad("embedding.model", settings.get("embedding.model"),
                        EmbeddingSettings.LOCAL_MODEL + " with provider local (or set provider: openai)");
            }
        } else {
            if (url == null) {
                throw bad("embedding.base_url", settings.get("embedding.base_url"),
                        "the API's base URL with provider openai, e.g. https://api.openai.com/v1");
            }
            refuseKeyOverPlainHttp("embedding.base_url", url, "embedding.api_key_env", apiKeyEnv,
                    "embedding.allow_plain_http_key", plainHttpKey);
            baseUrl = url;
        }
        JsonNode dims = settings.get("embedding.dimensions");
        Integer dimensions = dims.isNull() ? null
                : wholeNumber("embedding.dimensions", 1, 65_536, "null or a number of dimensions");
        if (dimensions != null && provider.equals(EmbeddingSettings.LOCAL)) {
            throw bad("embedding.dimensions", dims, "null with provider local (its model makes "
                    + "384-dimension vectors); dimensions apply to provider openai");
        }
        return new EmbeddingSettings(provider, model, baseUrl, apiKeyEnv, dimensions,
                wholeNumber("embedding.batch_size", 1, 2048, "a whole number from 1 to 2048"),
                wholeNumber("embedding.timeout_seconds", 1, 3600, "a whole number of seconds from 1 to 3600"),
                wholeNumber("embedding.max_retries", 0, 100, "a whole number from 0 to 100"));
    }

    private AiSettings ai() {
        // Every base URL is checked, used or not: one that carries a secret is refused either way.
        for (String key : List.of("ai.base_url", "ai.describe.base_url", "ai.transcribe.base_url")) {
            baseUrl(key);
        }
        boolean plainHttpKey = bool("ai.allow_plain_http_key");
        AiSettings.Service describe = aiService("describe", plainHttpKey);
        AiSettings.Service transcribe = aiService("transcribe", plainHttpKey);
        String language = optionalText("ai.transcribe.language");
        if (language != null && !language.matches("[a-z]{2,3}")) {
            throw bad("ai.transcribe.language", settings.get("ai.transcribe.language"),
                    "null (detect it) or an ISO 639-1 language code such as en, de, fr");
        }
        double maxUploadMb = number("ai.transcribe.max_upload_mb", 0.01, 60, "a size in MB from 0.01 to 60");
        return new AiSettings(describe, optionalText("ai.describe.prompt"),
                wholeNumber("ai.describe.image_max_side", 64, 4096, "a size in pixels from 64 to 4096"),
                wholeNumber("ai.describe.video_frames", 1, 32, "a whole number from 1 to 32"),
                transcribe, language, (long) (maxUploadMb * 1024 * 1024));
    }

    /** ai.NAME.*, falling back to the shared ai.* keys; null when ai.NAME.model is not set. */
    private AiSettings.Service aiService(String name, boolean plainHttpKey) {
        String prefix = "ai." + name + ".";
        String model = optionalText(prefix + "model");
        String urlKey = settings.get(prefix + "base_url").isNull() ? "ai.base_url" : prefix + "base_url";
        String keyEnvKey = settings.get(prefix + "api_key_env").isNull() ? "ai.api_key_env" : prefix + "api_key_env";
        String apiKeyEnv = variableName(keyEnvKey);
        if (model == null) {
            return null;
        }
        URI baseUrl = baseUrl(urlKey);
        if (baseUrl == null) {
            throw bad(prefix + "base_url", settings.get(prefix + "base_url"), "the API's base URL when " + prefix
                    + "model is set (or set ai.base_url), e.g. https://api.openai.com/v1 or http://localhost:11434/v1");
        }
        refuseKeyOverPlainHttp(urlKey, baseUrl, keyEnvKey, apiKeyEnv, "ai.allow_plain_http_key", plainHttpKey);
        return new AiSettings.Service(model, baseUrl, apiKeyEnv,
                wholeNumber("ai.timeout_seconds", 1, 3600, "a whole number of seconds from 1 to 3600"),
                wholeNumber("ai.max_concurrent_requests", 1, 256, "a whole number from 1 to 256"),
                wholeNumber("ai.requests_per_minute", 1, 100_000, "a whole number from 1 to 100000"),
                wholeNumber("ai.max_retries", 0, 100, "a whole number from 0 to 100"));
    }

    /** The name of an environment variable, or null; refuses what looks like a key pasted in. */
    private DatabaseSettings database() {
        String url = optionalText("database.url");
        String passwordEnv = variableName("database.password_env");
        if (url == null) {
            return new DatabaseSettings(null, passwordEnv);
        }
        try {
            return new DatabaseSettings(PostgresUrl.parse(url), passwordEnv);
        } catch (IllegalArgumentException e) {
            throw bad("database.url", settings.get("database.url"), "null (SQLite in the workspace) or "
                    + e.getMessage());
        }
    }

    private String variableName(String key) {
        String name = optionalText(key);
        if (name != null && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw bad(key, settings.get(key),
                    "the NAME of an environment variable (like OPENAI_API_KEY), never the key itself");
        }
        return name;
    }

    /** An API's base URL (see {@link ApiBaseUrl}), or null when not set. */
    private URI baseUrl(String key) {
        String url = optionalText(key);
        if (url == null) {
            return null;
        }
        try {
            return ApiBaseUrl.parse(url, key.replaceFirst("base_url$", "api_key_env"));
        } catch (ApiBaseUrl.Refused e) {
            throw bad(key, settings.get(key), e.getMessage());
        }
    }

    /**
     * Refuses to send an API key over plain http to a host that is not loopback, where anyone on
     * the way can read it, unless the user opted in.
     */
    private void refuseKeyOverPlainHttp(String urlKey, URI url, String keyEnvKey, String apiKeyEnv, String optInKey,
            boolean optedIn) {
        if (apiKeyEnv != null && !optedIn && ApiBaseUrl.plainHttpToRemoteHost(url)) {
            throw bad(urlKey, settings.get(urlKey), "an https:// URL while " + keyEnvKey + " names a key (over plain"
                    + " http:// the key in $" + apiKeyEnv + " crosses the network readable); or reach the server"
                    + " through a loopback address (an SSH tunnel: ssh -L PORT:localhost:PORT HOST, then"
                    + " http://127.0.0.1:PORT/...); or set " + optInKey + ": true to send it anyway");
        }
    }

    private String text(String key, String allowed) {
        JsonNode value = settings.get(key);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw bad(key, value, allowed);
        }
        return value.asText().strip();
    }

    private String optionalText(String key) {
        JsonNode value = settings.get(key);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad(key, value, "null or text");
        }
        return value.asText().isBlank() ? null : value.asText().strip();
    }

    private double number(String key, double min, double max, String allowed) {
        JsonNode value = settings.get(key);
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw bad(key, value, allowed);
        }
        return value.asDouble();
    }

    private int wholeNumber(String key, int min, int max, String allowed) {
        JsonNode value = settings.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw bad(key, value, allowed);
        }
        return value.asInt();
    }

    private boolean bool(String key) {
        JsonNode value = settings.get(key);
        if (!value.isBoolean()) {
            throw bad(key, value, "true or false");
        }
        return value.asBoolean();
    }

    /** An optional executable file, absolute or relative to the workspace; null when not set. */
    private Path executable(String key) {
        JsonNode value = settings.get(key);
        if (value.isNull()) {
            return null;
        }
        String allowed = "null (use the bundled one) or the path of an executable file";
        if (!value.isTextual() || value.asText().isBlank()) {
            throw bad(key, value, allowed);
        }
        Path path;
        try {
            path = workspace.root().resolve(value.asText()).normalize();
        } catch (InvalidPathException e) {
            throw bad(key, value, allowed);
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw bad(key, value, allowed + "; " + path + " is not one");
        }
        return path;
    }

    private List<String> strings(String key, boolean allowEmpty, String allowed) {
        JsonNode value = settings.get(key);
        if (!value.isArray() || (!allowEmpty && value.isEmpty())) {
            throw bad(key, value, allowed);
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual() && !item.isNumber()) {
                throw bad(key, value, allowed);
            }
            String text = item.asText().strip();
            if (text.isEmpty()) {
                throw bad(key, value, allowed);
            }
            out.add(text);
        }
        return List.copyOf(out);
    }

    private List<String> pathList(String key, boolean allowEmpty) {
        String allowed = "a list of folders relative to the workspace" + (allowEmpty ? "" : " (at least one)");
        List<String> out = new ArrayList<>();
        for (String text : strings(key, allowEmpty, allowed)) {
            Path path;
            try {
                path = workspace.root().resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw bad(key, settings.get(key), allowed + "; '" + text + "' is not a valid path");
            }
            if (path.startsWith(workspace.dataDir())) {
                throw bad(key, settings.get(key), allowed + " outside " + Workspace.DATA_DIR_NAME);
            }
            String name = path.startsWith(workspace.root()) ? workspace.display(path) : path.toString();
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private List<String> globs(String key) {
        List<String> globs = strings(key, true, "a list of glob patterns such as '*.lrdata' or 'proxies/**'");
        for (String glob : globs) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw bad(key, settings.get(key), "glob patterns; '" + glob + "' is not one ("
                        + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        return globs;
    }

    private Map<String, MediaType> extensions() {
        Map<String, MediaType> byExtension = new HashMap<>();
        for (MediaType type : MediaType.values()) {
            String key = "extensions." + type.id();
            String allowed = "a list of file extensions such as [jpg, png] (letters and digits, no dot)";
            for (String raw : strings(key, true, allowed)) {
                String extension = raw.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
                if (!MediaExtensions.valid(extension)) {
                    throw bad(key, settings.get(key), allowed + "; '" + raw + "' is not one");
                }
                MediaType previous = byExtension.put(extension, type);
                if (previous != null && previous != type) {
                    throw bad(key, settings.get(key), "an extension in one media type only; '" + extension
                            + "' is also under extensions." + previous.id());
                }
            }
        }
        if (byExtension.isEmpty()) {
            throw bad("extensions", settings.get("extensions"), "at least one extension to index");
        }
        return byExtension;
    }

    private ConfigException bad(String key, JsonNode value, String allowed) {
        return new ConfigException("bad config value " + key + ": " + shown(key, value)
                + " (from " + settings.originOf(key) + "); allowed: " + allowed);
    }

    /** A value as a config error may show it: without what may be a secret. */
    static String shown(String key, JsonNode value) {
        if (!value.isTextual()) {
            return String.valueOf(value);
        }
        if (key.endsWith("api_key_env") || key.endsWith("password_env")) {
            // What is in an api_key_env that is not a variable's name may be a key pasted in.
            return "(not shown)";
        }
        if (key.equals("database.url")) {
            // A password pasted into the URL is refused, and never shown.
            return TextNode.valueOf(value.asText().replaceFirst("(://[^/@:]*):[^/@]*@", "$1:(not shown)@")).toString();
        }
        return key.endsWith("base_url") ? TextNode.valueOf(ApiBaseUrl.masked(value.asText())).toString()
                : value.toString();
    }
}

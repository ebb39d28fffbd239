package io.assetindex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path workspace;

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> flags = new HashMap<>();
    private Path configFile;

    private AppConfig load() {
        return ConfigLoader.load(new ConfigLoader.Sources(workspace, configFile, env, flags));
    }

    private void workspaceYaml(String yaml) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), yaml);
    }

    @Test
    void builtInDefaultsApplyWithoutAnyFile() {
        AppConfig config = load();
        assertThat(config.watchRoots()).extracting(WatchRoot::name).containsExactly("raw_assets");
        assertThat(config.watchRoots().get(0).dir()).isEqualTo(workspace.resolve("raw_assets"));
        assertThat(config.debounceSeconds()).isEqualTo(1.5);
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.mediaTypeByExtension()).containsEntry("jpg", MediaType.IMAGE)
                .containsEntry("heic", MediaType.IMAGE).containsEntry("mkv", MediaType.VIDEO)
                .containsEntry("flac", MediaType.AUDIO);
        assertThat(config.logMaxFileBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void laterSourcesWinKeyByKey() throws IOException {
        workspaceYaml("workers: 3\ndebounce_seconds: 2\n");
        configFile = workspace.resolve("other.yaml");
        Files.writeString(configFile, "workers: 4\n");
        assertThat(load().workers()).isEqualTo(4);
        assertThat(load().debounceSeconds()).isEqualTo(2.0);

        env.put("ASSET_INDEX_WORKERS", "5");
        assertThat(load().workers()).isEqualTo(5);

        flags.put("workers", "6");
        assertThat(load().workers()).isEqualTo(6);
        assertThat(load().debounceSeconds()).isEqualTo(2.0);
    }

    @Test
    void environmentSetsNestedKeysAndLists() {
        env.put("ASSET_INDEX_LOGS__MAX_FILE_MB", "20");
        env.put("ASSET_INDEX_WATCH_PATHS", "[media, jobs]");
        env.put("ASSET_INDEX_JOBS_ROOTS", "jobs");
        AppConfig config = load();
        assertThat(config.logMaxFileBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(config.watchRoots()).extracting(WatchRoot::name).containsExactly("media", "jobs");
        assertThat(config.watchRoots()).extracting(WatchRoot::jobsRoot).containsExactly(false, true);
    }

    @Test
    void environmentVariablesThatAreNotSettingsAreIgnored() {
        env.put("ASSET_INDEX_WORKSPACE", "/somewhere");
        env.put("ASSET_INDEX_JAVA_OPTS", "-Xmx1g");
        env.put("ASSET_INDEX_JAR", "/opt/asset-index/asset-index.jar");
        env.put("ASSET_INDEX_NO_CDS", "1");
        env.put("PATH", "/bin");
        assertThat(load().workers()).isPositive();
    }

    @Test
    void unknownKeyNamesTheKeyTheFileAndTheAllowedKeys() throws IOException {
        workspaceYaml("watch_paths: [a]\nworkerz: 3\n");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'workerz'")
                .hasMessageContaining(workspace.resolve("asset-index.yaml").toString())
                .hasMessageContaining("workers");
    }

    @Test
    void unknownNestedKeyNamesItsParent() throws IOException {
        workspaceYaml("logs:\n  max_size: 3\n");
        assertThatThrownBy(this::load).hasMessageContaining("unknown config key 'logs.max_size'")
                .hasMessageContaining("under 'logs': max_file_mb, keep_files");
    }

    @Test
    void processLogRetentionIsDaysAndZeroKeepsEverything() throws IOException {
        assertThat(load().processLogRetentionDays()).isEqualTo(180);
        workspaceYaml("process_log_retention_days: 0\n");
        assertThat(load().processLogRetentionDays()).isZero();
        workspaceYaml("process_log_retention_days: -3\n");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad config value process_log_retention_days: -3")
                .hasMessageContaining("0 (keep every row) or a whole number of days");
    }

    @Test
    void hostNameDefaultsToTheMachinesNameAndMustBeAPlainName() throws IOException {
        assertThat(load().hostName()).isEqualTo(io.assetindex.util.ProcessOwner.host());
        workspaceYaml("host_name: ingest-2.example_a\n");
        assertThat(load().hostName()).isEqualTo("ingest-2.example_a");
        env.put("ASSET_INDEX_HOST_NAME", "ingest-3");
        assertThat(load().hostName()).isEqualTo("ingest-3");
        env.remove("ASSET_INDEX_HOST_NAME");
        for (String bad : List.of("\"\"", "\"two words\"", "\"a:b\"", "\"-dash-first\"", "[x]", "\"" + "h".repeat(256) + "\"")) {
            workspaceYaml("host_name: " + bad + "\n");
            assertThatThrownBy(this::load).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("bad config value host_name")
                    .hasMessageContaining("letters, digits, '.', '-' and '_'");
        }
    }

    @Test
    void unknownEnvironmentSettingIsRefused() {
        env.put("ASSET_INDEX_WORKER", "3");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ASSET_INDEX_WORKER");
    }

    @Test
    void badValuesNameKeyValueSourceAndWhatIsAllowed() throws IOException {
        workspaceYaml("workers: -1\n");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessage("bad config value workers: -1 (from " + workspace.resolve("asset-index.yaml")
                        + "); allowed: 0 (one per CPU core) or a whole number up to 256");

        workspaceYaml("debounce_seconds: soon\n");
        assertThatThrownBy(this::load).hasMessageContaining("debounce_seconds: \"soon\"")
                .hasMessageContaining("a number of seconds");

        workspaceYaml("watch_paths: []\n");
        assertThatThrownBy(this::load).hasMessageContaining("watch_paths").hasMessageContaining("at least one");

        workspaceYaml("watch_paths: raw_assets\n");
        assertThatThrownBy(this::load).hasMessageContaining("watch_paths: \"raw_assets\"")
                .hasMessageContaining("a list of folders");
    }

    @Test
    void jobsRootsMustBeWatchPaths() throws IOException {
        workspaceYaml("watch_paths: [raw_assets]\njobs_roots: [jobs]\n");
        assertThatThrownBy(this::load).hasMessageContaining("jobs_roots").hasMessageContaining("[raw_assets]");
    }

    @Test
    void watchPathsCannotPointIntoTheDataFolder() throws IOException {
        workspaceYaml("watch_paths: [.asset_index/logs]\n");
        assertThatThrownBy(this::load).hasMessageContaining("outside .asset_index");
    }

    @Test
    void anExtensionBelongsToOneMediaTypeOnly() throws IOException {
        workspaceYaml("extensions:\n  audio: [mp3, mp4]\n");
        assertThatThrownBy(this::load).hasMessageContaining("'mp4' is also under extensions.");
    }

    @Test
    void extensionsAreCaseInsensitiveAndMayHaveADot() throws IOException {
        workspaceYaml("extensions:\n  image: [.JPG, Png]\n");
        assertThat(load().mediaTypeByExtension()).containsEntry("jpg", MediaType.IMAGE)
                .containsEntry("png", MediaType.IMAGE).doesNotContainKey("gif");
    }

    @Test
    void badGlobIsRefused() throws IOException {
        workspaceYaml("ignore: ['proxies/[a-']\n");
        assertThatThrownBy(this::load).hasMessageContaining("ignore").hasMessageContaining("not one");
    }

    @Test
    void invalidYamlGivesTheLine() throws IOException {
        workspaceYaml("workers: 2\nwatch_paths: [a\n");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML at line");
    }

    @Test
    void emptyFileMeansDefaults() throws IOException {
        workspaceYaml("");
        assertThat(load().watchRoots()).hasSize(1);
    }

    @Test
    void missingConfigFileIsAnError() {
        configFile = workspace.resolve("nope.yaml");
        assertThatThrownBy(this::load).hasMessageContaining("nope.yaml does not exist");
    }

    @Test
    void missingWorkspaceIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(
                new ConfigLoader.Sources(workspace.resolve("absent"), null, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void documentedDefaultFileHasEveryKeyTheProgramReads() throws IOException {
        // The repository's config file is the packaged default; they must be the same bytes.
        Path repositoryFile = Path.of("config/asset-index.yaml");
        try (var packaged = ConfigLoader.class.getResourceAsStream("asset-index.yaml")) {
            assertThat(packaged).isNotNull();
            assertThat(new String(packaged.readAllBytes())).isEqualTo(Files.readString(repositoryFile));
        }
    }

    @Test
    void aiIsOffUntilAModelIsSetAndEachModelFallsBackToTheSharedApi() throws IOException {
        assertThat(load().ai().enabled()).isFalse();
        workspaceYaml("""
                ai:
                  base_url: https://api.openai.com/v1/
                  api_key_env: OPENAI_API_KEY
                  describe:
                    model: llava
                    base_url: http://localhost:11434/v1
                    api_key_env: null
                  transcribe:
                    model: whisper-1
                    language: de
                """);
        AiSettings ai = load().ai();
        assertThat(ai.describe().baseUrl()).hasToString("http://localhost:11434/v1");
        assertThat(ai.describe().apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(ai.transcribe().baseUrl()).hasToString("https://api.openai.com/v1");
        assertThat(ai.language()).isEqualTo("de");
        assertThat(ai.maxUploadBytes()).isEqualTo(24L << 20);
    }

    @Test
    void aKeyPastedWhereTheVariableNameGoesIsRefusedAndNeverShown() throws IOException {
        workspaceYaml("ai:\n  api_key_env: sk-proj-abc123\n");
        assertThatThrownBy(this::load).hasMessageContaining("bad config value ai.api_key_env: (not shown)")
                .hasMessageContaining("the NAME of an environment variable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-proj"));
        workspaceYaml("ai:\n  describe:\n    model: gpt-4o-mini\n");
        assertThatThrownBy(this::load).hasMessageContaining("ai.describe.base_url")
                .hasMessageContaining("when ai.describe.model is set");
        workspaceYaml("ai:\n  base_url: http://x\n  transcribe:\n    model: whisper-1\n    language: German\n");
        assertThatThrownBy(this::load).hasMessageContaining("ISO 639-1");
    }

    @Test
    void dimensionsAreRefusedForTheLocalModelInsteadOfBeingIgnored() throws IOException {
        workspaceYaml("embedding:\n  dimensions: 256\n");
        assertThatThrownBy(this::load).hasMessageContaining("bad config value embedding.dimensions: 256")
                .hasMessageContaining("null with provider local");
    }

    @Test
    void aBaseUrlWithAUserOrPasswordIsRefusedWithoutShowingIt() throws IOException {
        for (String key : java.util.List.of("ai.base_url", "ai.describe.base_url", "ai.transcribe.base_url",
                "embedding.base_url")) {
            env.clear();
            env.put(ConfigLoader.envName(key), "http://alice:hunter2-secret@api.example.com/v1");
            String variableKey = key.replace("base_url", "api_key_env");
            assertThatThrownBy(this::load).as(key).isInstanceOf(ConfigException.class)
                    .hasMessage("bad config value " + key + ": \"http://***@api.example.com/v1\" (from the environment);"
                            + " allowed: a URL without a user or password in it; give the API key through the"
                            + " environment variable named by " + variableKey);
        }
        env.clear();
        // A password holding '/' breaks the URL's syntax; it is still a password.
        workspaceYaml("embedding:\n  provider: openai\n  model: m\n  base_url: https://bob:pa/ss@api.example.com/v1\n");
        assertThatThrownBy(this::load).hasMessageContaining("\"https://***@api.example.com/v1\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa/ss", "bob"));
    }

    @Test
    void aBaseUrlWithAQueryOrFragmentIsRefusedWithoutShowingIt() throws IOException {
        workspaceYaml("ai:\n  base_url: https://generativelanguage.googleapis.com/v1beta/openai?key=AIzaSecret42\n");
        assertThatThrownBy(this::load).hasMessageStartingWith("bad config value ai.base_url:"
                        + " \"https://generativelanguage.googleapis.com/v1beta/openai?***\"")
                .hasMessageContaining("a URL without a query (?...) or fragment (#...); give the API key through the"
                        + " environment variable named by ai.api_key_env")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AIzaSecret42"));
        workspaceYaml("ai:\n  transcribe:\n    base_url: https://api.example.com/v1#token=abc\n");
        assertThatThrownBy(this::load).hasMessageContaining("ai.transcribe.base_url: \"https://api.example.com/v1#***\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("token=abc"));
    }

    @Test
    void aBaseUrlMustBeAnAbsoluteHttpUrlWithAHost() throws IOException {
        for (String url : java.util.List.of("ftp://api.example.com/v1", "localhost:11434/v1", "/v1", "http:///v1",
                "http://api example.com/v1", "mailto:ops")) {
            workspaceYaml("ai:\n  base_url: '" + url + "'\n");
            assertThatThrownBy(this::load).as(url).hasMessageContaining("bad config value ai.base_url: ")
                    .hasMessageEndingWith("allowed: an absolute http:// or https:// URL with a host,"
                            + " e.g. https://api.openai.com/v1");
        }
        workspaceYaml("ai:\n  base_url: HTTPS://api.example.com/v1/\n  describe:\n    model: m\n");
        assertThat(load().ai().describe().baseUrl()).hasToString("HTTPS://api.example.com/v1");
    }

    @Test
    void aKeyIsNotSentOverPlainHttpToAHostThatIsNotLoopback() throws IOException {
        workspaceYaml("""
                ai:
                  base_url: http://192.168.1.20:8000/v1
                  api_key_env: OPENAI_API_KEY
                  describe:
                    model: llava
                """);
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessage("bad config value ai.base_url: \"http://192.168.1.20:8000/v1\" (from "
                        + workspace.resolve("asset-index.yaml") + "); allowed: an https:// URL while ai.api_key_env"
                        + " names a key (over plain http:// the key in $OPENAI_API_KEY crosses the network readable);"
                        + " or reach the server through a loopback address (an SSH tunnel: ssh -L PORT:localhost:PORT"
                        + " HOST, then http://127.0.0.1:PORT/...); or set ai.allow_plain_http_key: true to send it anyway");

        workspaceYaml("""
                embedding:
                  provider: openai
                  model: text-embedding-3-small
                  base_url: http://embeddings.internal/v1
                  api_key_env: EMBEDDING_KEY
                """);
        assertThatThrownBy(this::load).hasMessageStartingWith("bad config value embedding.base_url:")
                .hasMessageContaining("or set embedding.allow_plain_http_key: true");
        env.put("ASSET_INDEX_EMBEDDING__ALLOW_PLAIN_HTTP_KEY", "true");
        assertThat(load().embedding().baseUrl()).hasToString("http://embeddings.internal/v1");
    }

    @Test
    void plainHttpIsFineWithoutAKeyOrToALoopbackAddress() throws IOException {
        workspaceYaml("""
                ai:
                  base_url: http://192.168.1.20:11434/v1
                  describe:
                    model: llava
                  transcribe:
                    model: whisper
                    base_url: http://127.0.0.2:9000/v1
                    api_key_env: WHISPER_KEY
                embedding:
                  provider: openai
                  model: nomic-embed-text
                  base_url: http://[::1]:11434/v1
                  api_key_env: EMBEDDING_KEY
                """);
        AppConfig config = load();
        assertThat(config.ai().describe().baseUrl()).hasToString("http://192.168.1.20:11434/v1");
        assertThat(config.ai().transcribe().baseUrl()).hasToString("http://127.0.0.2:9000/v1");
        assertThat(config.embedding().baseUrl()).hasToString("http://[::1]:11434/v1");
        flags.put("ai.transcribe.base_url", "http://LOCALHOST:9000/v1");
        assertThat(load().ai().transcribe().apiKeyEnv()).isEqualTo("WHISPER_KEY");
        for (String remote : java.util.List.of("http://localhost.example.com/v1", "http://127.0.0.1.nip.io/v1",
                "http://10.0.0.1/v1", "http://[::2]/v1")) {
            flags.put("ai.transcribe.base_url", remote);
            assertThatThrownBy(this::load).as(remote).hasMessageContaining("or set ai.allow_plain_http_key: true");
        }
    }

    @Test
    void anUnparsableValueOfABaseUrlInTheEnvironmentIsShownMasked() {
        env.put("ASSET_INDEX_AI__BASE_URL", "[http://alice:hunter2@api.example.com/v1");
        assertThatThrownBy(this::load).hasMessageContaining("bad config value ai.base_url: \"[http://***@api.example.com/v1\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}

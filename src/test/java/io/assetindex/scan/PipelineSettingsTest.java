package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.index.Analyzer;
import io.assetindex.index.AnalyzerChain;
import io.assetindex.index.IntegrityAnalyzer;
import io.assetindex.index.AnalyzerSettings;
import io.assetindex.index.FileIndexer;
import io.assetindex.testing.Sha256;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings behind the standard analyzers' config hashes: each hash is the SHA-256 of the text
 * that is stored, the texts are the ones existing indexes were built with, no secret is in them,
 * and the settings a config gives without making the analyzers are the analyzers' own.
 */
class PipelineSettingsTest {
    private static final String KEY = "sk-test-very-secret-0042";
    private static final Map<String, String> ENVIRONMENT = Map.of("TEST_AI_KEY", KEY, "TEST_EMBED_KEY", KEY);
    private static final String FULL = """
            media:
              integrity_deep: true
              thumbnail_size: 320
              thumbnail_quality: 70
            embedding:
              provider: openai
              model: text-embedding-3-small
              base_url: https://embeddings.example.com/v1
              api_key_env: TEST_EMBED_KEY
              dimensions: 256
            ai:
              base_url: https://ai.example.com/v1
              api_key_env: TEST_AI_KEY
              describe:
                model: vision-test
                prompt: Describe it in one line.
                image_max_side: 512
                video_frames: 3
              transcribe:
                model: whisper-test
                language: fr
            """;

    @TempDir
    Path workspace;

    private AppConfig config(String yaml) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), yaml);
        return ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
    }

    private static AnalyzerChain chain(AppConfig config) {
        return Indexing.analyzers(config, ENVIRONMENT::get, new AiServices(config.ai(), ENVIRONMENT::get,
                Clock.systemUTC()), IntegrityAnalyzer.Acceptances.NONE);
    }

    private static List<AnalyzerSettings> settingsOf(AnalyzerChain chain) {
        List<AnalyzerSettings> settings = new ArrayList<>();
        chain.analyzers().forEach(analyzer -> settings.add(analyzer.settings()));
        return settings;
    }


    @Test
    void everyAnalyzerOfAFullyConfiguredPipelineHasTheHashOfTheTextItStores() throws IOException {
        AnalyzerChain chain = chain(config(FULL));

        assertThat(chain.analyzers()).extracting(Analyzer::name)
                .containsExactly("probe", "integrity", "thumbnail", "transcribe", "describe", "embed");
        List<AnalyzerSettings> all = new ArrayList<>(settingsOf(chain));
        all.add(FileIndexer.pipelineSettings(chain));
        for (Analyzer analyzer : chain.analyzers()) {
            assertThat(analyzer.configHash()).as(analyzer.name()).isEqualTo(Sha256.ofText(analyzer.settings().text()));
            assertThat(analyzer.settings().analyzer()).isEqualTo(analyzer.name());
        }
        for (AnalyzerSettings settings : all) {
            assertThat(settings.configHash()).isEqualTo(Sha256.ofText(settings.text()));
            assertThat(Json.read(settings.json()).isObject()).as(settings.json()).isTrue();
            assertThat(settings.text() + settings.json()).doesNotContain(KEY);
        }
        assertThat(FileIndexer.pipelineSettings(chain).text()).isEqualTo(String.join(",",
                chain.inline().stream().map(analyzer -> analyzer.name() + "=" + analyzer.configHash()).toList()));
    }

    @Test
    void theTextsAreTheOnesExistingIndexesWereHashedWith() throws IOException {
        assertThat(settingsOf(chain(config(FULL)))).extracting(AnalyzerSettings::text).containsExactly(
                "probe/2",
                "integrity/1/deep=true",
                "thumbnail/1/size=320/quality=70",
                "transcribe/1/model=whisper-test/language=fr",
                "describe/1/model=vision-test/prompt=" + Sha256.ofText("Describe it in one line.") + "/image=512/frames=3",
                "embed/1/{\"base_url\":\"https://embeddings.example.com/v1\",\"dimensions\":256,"
                        + "\"model\":\"text-embedding-3-small\",\"provider\":\"openai\"}");
        assertThat(Json.read(settingsOf(chain(config(FULL))).get(4).json())).isEqualTo(Json.read("""
                {"version": "1", "model": "vision-test", "prompt": "%s", "image": 512, "frames": 3}"""
                .formatted(Sha256.ofText("Describe it in one line."))));
    }

    @Test
    void theSettingsAConfigGivesAreTheAnalyzersOwnWithOrWithoutAiAndThumbnails() throws IOException {
        for (String yaml : List.of(FULL, "", "media:\n  thumbnail_size: 0\n")) {
            AppConfig config = config(yaml);

            assertThat(Indexing.settings(config)).as(yaml).isEqualTo(settingsOf(chain(config)));
        }
    }
}

package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.QualityCorpus;
import io.assetindex.testing.SearchQuality;
import io.assetindex.testing.SearchQuality.LabelledQuery;
import io.assetindex.testing.SearchQuality.Mode;
import io.assetindex.testing.SearchQuality.Scores;
import io.assetindex.testing.SqliteFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search quality on the labelled query set (issue 14): the corpus of 64 real files with names,
 * folders, jobs, camera EXIF, descriptions and transcripts, indexed in-process against a local
 * server standing in for the AI models, every query run in each mode, and the two rules for
 * hybrid search. {@code SearchQualityBenchmark} runs the same through the packaged jar and prints
 * the figures.
 */
class SearchQualityTest {
    @TempDir
    static Path workspace;

    private static QualityCorpus corpus;
    private static FakeAiApi api;
    private static InProcess cli;

    @BeforeAll
    static void indexTheCorpus() {
        corpus = QualityCorpus.load();
        api = new FakeAiApi(corpus.answers());
        corpus.write(workspace, api.baseUrl());
        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
    }

    @AfterAll
    static void stopTheModels() {
        api.close();
    }

    @Test
    void everyFileIsIndexedWithItsCameraDescriptionAndTranscript() {
        Path database = workspace.resolve(".asset_index/index.db");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets_vec")).isEqualTo(corpus.files().size());
        assertThat(corpus.unmatchedUploads()).as("uploads the fake transcriber could not tell apart").isEmpty();
        for (QualityCorpus.File file : corpus.files()) {
            JsonNode shown = cli.run("show", file.path(), "--json").json();
            String facts = shown.toString();
            assertThat(facts).as(file.path()).contains(file.spec().get("summary").asText());
            if (file.camera() != null) {
                assertThat(facts).as(file.path()).contains(
                        "\"camera_model\":\"" + file.camera().model() + "\"",
                        "\"camera_make\":\"" + file.camera().make() + "\"");
            }
            if (file.camera() != null && file.camera().lens() != null) {
                assertThat(facts).as(file.path()).contains("\"lens\":\"" + file.camera().lens() + "\"");
            }
            if (!file.transcript().isEmpty()) {
                assertThat(facts).as(file.path()).contains(file.transcript());
            }
        }
        assertThat(SqliteFile.count(database, "SELECT count(DISTINCT job_id) FROM assets")).isEqualTo(4);
    }

    @Test
    void everyQueryNamesFilesOfTheCorpusAndEveryParaphraseSharesNoWordWithThem() {
        List<LabelledQuery> queries = SearchQuality.queries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(40);
        assertThat(queries).filteredOn(SearchQuality.EXACT).hasSizeGreaterThanOrEqualTo(20);
        for (LabelledQuery query : queries) {
            assertThat(corpus.paths()).as(query.text()).containsAll(query.relevant());
            assertThat(query.relevant()).as(query.text()).hasSizeBetween(1, SearchQuality.TOP);
        }
        List<String> shared = new ArrayList<>();
        for (LabelledQuery query : queries.stream().filter(LabelledQuery::paraphrase).toList()) {
            for (QualityCorpus.File file : corpus.files()) {
                List<String> words = QualityCorpus.sharedWords(query.text(), file);
                if (query.relevant().contains(file.path()) && !words.isEmpty()) {
                    shared.add("'" + query.text() + "' shares " + words + " with " + file.path());
                }
            }
        }
        assertThat(shared).isEmpty();
    }

    @Test
    void hybridBeatsKeywordAndSemanticAndRanksEveryExactQueryFirst() {
        Map<Mode, Scores> scores = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            scores.put(mode, SearchQuality.score(mode, SearchQuality.queries(), (text, m) -> {
                InProcess.Run run = cli.run(SearchQuality.arguments(text, m, true).toArray(String[]::new));
                assertThat(run.exitCode()).as(text + ": " + run.err()).isZero();
                return run.json();
            }));
        }
        String report = SearchQuality.report(scores);
        System.out.println(report);

        assertThat(scores.get(Mode.SEMANTIC).mrr(SearchQuality.PARAPHRASE)).as("meaning finds paraphrases\n" + report)
                .isGreaterThan(0.6);
        assertThat(scores.get(Mode.KEYWORD).mrr(SearchQuality.EXACT)).as("words find exact tokens\n" + report)
                .isGreaterThan(0.9);
        assertThat(SearchQuality.hybridBeatsBoth(scores)).as(report).contains(true);
        assertThat(SearchQuality.exactFirstInHybrid(scores)).as(report).contains(true);
    }
}

package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assetindex.MediaType;
import io.assetindex.embed.EmbeddingException;
import io.assetindex.embed.LocalEmbedder;
import io.assetindex.store.VectorRecord;
import io.assetindex.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files embedded together, as the indexer combines the files in flight, with the real local model. */
class EmbedAnalyzerTest {
    private static final List<String> NAMES = List.of("beach/sunset_over_the_waves.jpg", "office/invoice_march.png",
            "drone/coastline_aerial_0042.mp4", "music/piano_lullaby.wav", "interview/ceo_voice_over.m4a",
            "beach/kids_building_sandcastle.jpg", "night/city_lights_timelapse.mov", "forest/birdsong_morning.flac",
            "studio/product_shot_red_shoe.jpg", "office/whiteboard_meeting_notes.jpg");
    private static final List<String> QUERIES = List.of("waves at the beach", "paperwork", "calm music for a baby",
            "footage from the air");

    @TempDir
    Path cache;

    private static AnalysisInput input(String relPath) {
        MediaType type = relPath.endsWith(".jpg") || relPath.endsWith(".png") ? MediaType.IMAGE
                : relPath.endsWith(".mp4") || relPath.endsWith(".mov") ? MediaType.VIDEO : MediaType.AUDIO;
        return new AnalysisInput(Path.of(relPath), type, 1000, "0".repeat(64), relPath, null, Json.object(),
                new HashMap<>());
    }

    private static float[] vector(AnalysisInput input) {
        return ((VectorRecord) input.scratch().get(EmbedAnalyzer.VECTOR)).vector();
    }

    private static List<float[]> oneByOne(EmbedAnalyzer analyzer) throws AnalysisException {
        List<float[]> vectors = new ArrayList<>();
        for (String name : NAMES) {
            AnalysisInput input = input(name);
            analyzer.analyzeAll(List.of(input));
            vectors.add(vector(input));
        }
        return vectors;
    }

    /** The files' indexes, nearest first, for each query. */
    private static List<List<Integer>> ranks(LocalEmbedder embedder, List<float[]> vectors) throws EmbeddingException {
        List<List<Integer>> ranks = new ArrayList<>();
        for (String query : QUERIES) {
            float[] q = embedder.embed(query);
            ranks.add(IntStream.range(0, vectors.size()).boxed()
                    .sorted(Comparator.comparingDouble(i -> -dot(q, vectors.get(i)))).toList());
        }
        return ranks;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void filesEmbeddedInOneBatchGetTheVectorsTheyGetOneByOneAndRankAlike() throws Exception {
        LocalEmbedder embedder = new LocalEmbedder(cache);
        EmbedAnalyzer analyzer = new EmbedAnalyzer(embedder);
        List<float[]> alone = oneByOne(analyzer);

        List<AnalysisInput> inputs = NAMES.stream().map(EmbedAnalyzerTest::input).toList();
        analyzer.analyzeAll(inputs);
        List<float[]> together = inputs.stream().map(EmbedAnalyzerTest::vector).toList();

        for (int i = 0; i < NAMES.size(); i++) {
            assertThat(together.get(i)).as(NAMES.get(i)).containsExactly(alone.get(i), within(1e-6f));
        }
        assertThat(ranks(embedder, together)).isEqualTo(ranks(embedder, alone));
    }

    @Test
    void filesInFlightAtOnceAreEmbeddedTogetherWithTheVectorsTheyGetAlone() throws Exception {
        LocalEmbedder embedder = new LocalEmbedder(cache);
        EmbedAnalyzer analyzer = new EmbedAnalyzer(embedder);
        List<float[]> alone = oneByOne(analyzer);
        ExecutorService files = Executors.newFixedThreadPool(NAMES.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<float[]>> inFlight = new ArrayList<>();
            for (String name : NAMES) {
                inFlight.add(files.submit(() -> {
                    AnalysisInput input = input(name);
                    start.await();
                    assertThat(analyzer.analyze(input).get("embed_source").asText()).isNotEmpty();
                    return vector(input);
                }));
            }
            start.countDown();
            for (int i = 0; i < NAMES.size(); i++) {
                assertThat(inFlight.get(i).get(60, TimeUnit.SECONDS)).as(NAMES.get(i))
                        .containsExactly(alone.get(i), within(1e-6f));
            }
        } finally {
            files.shutdownNow();
        }
    }
}

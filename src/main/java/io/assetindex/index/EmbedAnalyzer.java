package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.embed.EmbedSource;
import io.assetindex.embed.Embedder;
import io.assetindex.embed.EmbeddingException;
import io.assetindex.store.VectorRecord;
import io.assetindex.util.Combiner;
import io.assetindex.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The "embed" analyzer: builds the asset's text ({@link EmbedSource}) from the results of the
 * analyzers before it and embeds it. Its result fills {@code embed_source} and
 * {@code embed_model}; the vector is handed on to be stored with the asset. Its config hash
 * covers the embedder's identity (provider, model, URL, dimensions) and the text's recipe, so
 * changing either re-embeds every asset. Optional: an embedder that fails (a remote API that
 * is down) leaves the asset unsearchable until a later pass embeds it.
 *
 * <p>Files indexed at the same time are embedded together: their {@link #analyze} calls are
 * combined into one call of the embedder, up to its batch size (see {@link Combiner}: a file alone
 * is embedded at once, and a batch forms only of files that reached this step while another batch
 * ran). A failure of that call is the failure of each of its files.
 */
public final class EmbedAnalyzer implements Analyzer {
    public static final String NAME = "embed";
    /** Scratch key of the {@link VectorRecord} made now. */
    static final String VECTOR = "vector";

    private final Embedder embedder;
    private final String identityJson;
    private final AnalyzerSettings settings;
    private final String configHash;
    private final Combiner<AnalysisInput, ObjectNode> together;

    public EmbedAnalyzer(Embedder embedder) {
        this.embedder = embedder;
        this.identityJson = identityJson(embedder.identity());
        this.settings = settings(embedder.identity());
        this.configHash = settings.configHash();
        this.together = new Combiner<>(inputs -> analyzeAll(inputs).stream().map(Combiner.Outcome::of).toList(),
                Math.max(1, embedder.batchSize()), Math.max(1, embedder.parallelism()), Duration.ZERO);
    }

    /**
     * The settings its vectors depend on: the recipe of the text ({@link EmbedSource#VERSION}) and
     * the embedder's identity; the text is {@code embed/<version>/<identity as sorted JSON>}.
     */
    public static AnalyzerSettings settings(Map<String, Object> identity) {
        String identityJson = identityJson(identity);
        ObjectNode json = Json.object();
        json.put("version", EmbedSource.VERSION);
        json.setAll((ObjectNode) Json.read(identityJson));
        return new AnalyzerSettings(NAME, NAME + "/" + EmbedSource.VERSION + "/" + identityJson, Json.write(json));
    }

    private static String identityJson(Map<String, Object> identity) {
        return Json.write(new TreeMap<>(identity));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AnalyzerSettings settings() {
        return settings;
    }

    @Override
    public String configHash() {
        return configHash;
    }

    @Override
    public boolean appliesTo(MediaType mediaType) {
        return true;
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public ObjectNode analyze(AnalysisInput input) throws AnalysisException {
        return together.submit(input).get(AnalysisException.class);
    }

    @Override
    public void prepare() {
        embedder.prepare();
    }

    @Override
    public boolean combines() {
        return true;
    }

    @Override
    public int parallelism() {
        return embedder.parallelism();
    }

    @Override
    public int batchSize() {
        return embedder.batchSize();
    }

    /** The search text is built from these; a new result of any of them re-embeds the asset. */
    @Override
    public Set<String> inputs() {
        return Set.of(ProbeAnalyzer.NAME, DescribeAnalyzer.NAME, TranscribeAnalyzer.NAME);
    }

    @Override
    public List<ObjectNode> analyzeAll(List<AnalysisInput> inputs) throws AnalysisException {
        List<String> texts = inputs.stream()
                .map(input -> EmbedSource.build(input.relPath(), input.jobId(), input.mediaType().id(), input.earlier()))
                .toList();
        List<float[]> vectors;
        try {
            vectors = embedder.embed(texts);
        } catch (EmbeddingException e) {
            throw new AnalysisException(e.getMessage());
        }
        List<ObjectNode> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vectors.get(i);
            inputs.get(i).scratch().put(VECTOR, new VectorRecord(configHash, embedder.model(), identityJson, vector));
            ObjectNode result = Json.object();
            result.put("embed_source", texts.get(i));
            result.put("embed_model", embedder.model());
            result.put("dimension", vector.length);
            results.add(result);
        }
        return results;
    }

    /** The identity of the embedder, for re-making it to embed queries. */
    public Map<String, Object> identity() {
        return embedder.identity();
    }
}

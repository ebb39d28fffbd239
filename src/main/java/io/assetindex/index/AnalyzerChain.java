package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetColumn;
import io.assetindex.util.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the analyzers that apply to a file, in order, each seeing the results of those before
 * it, and reusing cached results: an analyzer whose (content, name, config hash) is cached is
 * not called. An analyzer that throws anything is a failure of that analyzer for that file,
 * never of the run; a required analyzer's failure or rejection stops the chain.
 */
public final class AnalyzerChain {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerChain.class);

    /** Looks up a cached result. */
    @FunctionalInterface
    public interface Cache {
        Optional<AnalysisRecord> find(String contentHash, String analyzer, String configHash);
    }

    private final List<Analyzer> analyzers;

    public AnalyzerChain(List<Analyzer> analyzers) {
        this.analyzers = List.copyOf(analyzers);
    }

    public List<Analyzer> analyzers() {
        return analyzers;
    }

    /** Runs every analyzer that applies. */
    public Analysis run(AnalysisInput input, Cache cache) {
        return run(input, cache, analyzers);
    }

    /**
     * Runs {@code selected} (in chain order); the others' results are only taken from the cache,
     * for the facts and for the input of later analyzers.
     */
    public Analysis run(AnalysisInput input, Cache cache, List<Analyzer> selected) {
        Map<AssetColumn, Object> facts = new EnumMap<>(AssetColumn.class);
        ObjectNode raw = input.earlier().deepCopy();
        List<AnalysisRecord> computed = new ArrayList<>();
        List<Analysis.Failure> failures = new ArrayList<>();
        for (Analyzer analyzer : analyzers) {
            if (!analyzer.appliesTo(input.mediaType())) {
                continue;
            }
            String configHash = analyzer.configHash();
            Optional<AnalysisRecord> cached = cache.find(input.contentHash(), analyzer.name(), configHash);
            ObjectNode result;
            if (cached.isPresent()) {
                result = (ObjectNode) Json.read(cached.get().resultJson());
            } else if (!selected.contains(analyzer)) {
                continue;
            } else {
                AnalysisInput withEarlier = input.withEarlier(raw);
                long startNs = System.nanoTime();
                Analysis.Failure failure = null;
                result = null;
                try {
                    result = analyzer.analyze(withEarlier);
                } catch (AnalysisException e) {
                    failure = new Analysis.Failure(analyzer.name(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("[{}] analyzer crashed on {}", analyzer.name(), input.file(), e);
                    failure = new Analysis.Failure(analyzer.name(),
                            "analyzer crashed (" + e.getClass().getSimpleName() + "); see watcher.err.log");
                }
                if (failure != null) {
                    if (analyzer.required()) {
                        return new Analysis(facts, raw, computed, failure, failures, input.scratch());
                    }
                    failures.add(failure);
                    continue;
                }
                long durationMs = (System.nanoTime() - startNs) / 1_000_000;
                computed.add(new AnalysisRecord(analyzer.name(), configHash, Json.write(result), durationMs));
            }
            raw.set(analyzer.name(), result);
            Optional<String> rejection = analyzer.rejection(result);
            if (rejection.isPresent() && analyzer.required()) {
                return new Analysis(facts, raw, computed, new Analysis.Failure(analyzer.name(), rejection.get()), failures,
                        input.scratch());
            }
            putFacts(result, facts);
        }
        return new Analysis(facts, raw, computed, null, failures, input.scratch());
    }

    private static void putFacts(ObjectNode result, Map<AssetColumn, Object> facts) {
        result.properties().forEach(field -> AssetColumn.byColumn(field.getKey())
                .ifPresent(column -> {
                    Object value = toColumnValue(column, field.getValue());
                    if (value != null) {
                        facts.put(column, value);
                    }
                }));
    }

    private static Object toColumnValue(AssetColumn column, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        Class<?> type = column.type();
        if (type == Long.class) {
            return value.asLong();
        }
        if (type == Double.class) {
            return value.asDouble();
        }
        if (type == Boolean.class) {
            return value.asBoolean();
        }
        return value.isValueNode() ? value.asText() : Json.write(value);
    }
}

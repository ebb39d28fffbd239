package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetColumn;
import io.assetindex.util.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the analyzers that apply to a file, in order, each seeing the results of those before
 * it, and reusing cached results: an analyzer whose (content, name, config hash) is cached is
 * not called, unless an analyzer it reads ({@link Analyzer#inputs()}) computed a new result for
 * the file just before. An analyzer that throws anything is a failure of that analyzer for that file,
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
    private final StageTimes times = new StageTimes();

    public AnalyzerChain(List<Analyzer> analyzers) {
        this.analyzers = List.copyOf(analyzers);
    }

    /** The CPU time its analyzers took in this process, by analyzer name (the indexer adds its own stages). */
    public StageTimes times() {
        return times;
    }

    public List<Analyzer> analyzers() {
        return analyzers;
    }

    /** The analyzers that run while a new file is indexed; the deferred ones run in the background. */
    public List<Analyzer> inline() {
        return analyzers.stream().filter(analyzer -> !analyzer.deferred()).toList();
    }

    /** Whether some analyzers run only in the background after a file is indexed. */
    public boolean hasDeferred() {
        return analyzers.stream().anyMatch(Analyzer::deferred);
    }

    /**
     * Runs {@code selected} (in chain order); the others' results are only taken from the cache,
     * for the facts and for the input of later analyzers.
     */
    public Analysis run(AnalysisInput input, Cache cache, List<Analyzer> selected) {
        return run(input, cache, selected, Turns.NONE);
    }

    /**
     * {@link #run(AnalysisInput, Cache, List)} for a caller holding one of {@code turns}: while an
     * analyzer that {@linkplain Analyzer#combines() combines} files waits for its batch, the turn is lent.
     */
    Analysis run(AnalysisInput input, Cache cache, List<Analyzer> selected, Turns turns) {
        return runAll(List.of(input), cache, selected, turns).get(0);
    }

    /**
     * {@link #run(AnalysisInput, Cache, List)} for several files at once: an analyzer with a
     * {@link Analyzer#batchSize()} above 1 gets them in one {@link Analyzer#analyzeAll} call
     * (one request to a remote API instead of one per file). One analysis per input, in order.
     */
    public List<Analysis> runAll(List<AnalysisInput> inputs, Cache cache, List<Analyzer> selected) {
        return runAll(inputs, cache, selected, Turns.NONE);
    }

    private List<Analysis> runAll(List<AnalysisInput> inputs, Cache cache, List<Analyzer> selected, Turns turns) {
        List<Progress> files = inputs.stream().map(Progress::new).toList();
        for (Analyzer analyzer : analyzers) {
            List<Progress> toCompute = new ArrayList<>();
            for (Progress file : files) {
                if (file.fatal != null || !analyzer.appliesTo(file.input.mediaType())) {
                    continue;
                }
                boolean inputChanged = file.computedNames.stream().anyMatch(analyzer.inputs()::contains);
                Optional<AnalysisRecord> cached = inputChanged ? Optional.empty()
                        : cache.find(file.input.contentHash(), analyzer.name(), analyzer.configHash());
                if (cached.isPresent()) {
                    file.accept(analyzer, analyzer.reused((ObjectNode) Json.read(cached.get().resultJson()), file.input));
                } else if (selected.contains(analyzer) || inputChanged) {
                    toCompute.add(file);
                }
            }
            if (analyzer.batchSize() > 1 && toCompute.size() > 1) {
                long startCpu = StageTimes.now();
                computeTogether(analyzer, toCompute);
                times.add(analyzer.name(), startCpu);
            } else {
                for (Progress file : toCompute) {
                    long startCpu = StageTimes.now();
                    computeOne(analyzer, file, turns);
                    times.add(analyzer.name(), startCpu);
                }
            }
        }
        return files.stream().map(Progress::analysis).toList();
    }

    private static void computeOne(Analyzer analyzer, Progress file, Turns turns) {
        AnalysisInput input = file.input.withEarlier(file.raw);
        long startNs = System.nanoTime();
        try {
            ObjectNode result = analyzer.combines() ? turns.without(() -> analyzer.analyze(input))
                    : analyzer.analyze(input);
            file.computed(analyzer, result, (System.nanoTime() - startNs) / 1_000_000);
        } catch (AnalysisException e) {
            file.failed(analyzer, e.getMessage(), e.transientFailure());
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("[{}] analyzer crashed on {}", analyzer.name(), input.file(), e);
            file.failed(analyzer, crashed(e), true);
        }
    }

    /** One call for all; a failure of the call is the failure of each file. */
    private static void computeTogether(Analyzer analyzer, List<Progress> files) {
        List<AnalysisInput> inputs = files.stream().map(file -> file.input.withEarlier(file.raw)).toList();
        long startNs = System.nanoTime();
        String failure;
        boolean transientFailure;
        try {
            List<ObjectNode> results = analyzer.analyzeAll(inputs);
            long eachMs = (System.nanoTime() - startNs) / 1_000_000 / files.size();
            for (int i = 0; i < files.size(); i++) {
                files.get(i).computed(analyzer, results.get(i), eachMs);
            }
            return;
        } catch (AnalysisException e) {
            failure = e.getMessage();
            transientFailure = e.transientFailure();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("[{}] analyzer crashed on {} files from {}", analyzer.name(), files.size(),
                    inputs.get(0).file(), e);
            failure = crashed(e);
            transientFailure = true;
        }
        for (Progress file : files) {
            file.failed(analyzer, failure, transientFailure);
        }
    }

    private static String crashed(Throwable e) {
        return "analyzer crashed (" + e.getClass().getSimpleName() + "); see .asset_index/logs/*.err.log";
    }

    /** One file's way through the chain. */
    private static final class Progress {
        final AnalysisInput input;
        final Map<AssetColumn, Object> facts = new EnumMap<>(AssetColumn.class);
        final ObjectNode raw;
        final List<AnalysisRecord> computed = new ArrayList<>();
        final Set<String> computedNames = new HashSet<>();
        final List<Analysis.Failure> failures = new ArrayList<>();
        Analysis.Failure fatal;

        Progress(AnalysisInput input) {
            this.input = input;
            this.raw = input.earlier().deepCopy();
        }

        void computed(Analyzer analyzer, ObjectNode result, long durationMs) {
            computed.add(new AnalysisRecord(analyzer.name(), analyzer.configHash(), Json.write(result), durationMs));
            computedNames.add(analyzer.name());
            accept(analyzer, result);
        }

        void accept(Analyzer analyzer, ObjectNode result) {
            raw.set(analyzer.name(), result);
            Optional<String> rejection = analyzer.rejection(result, input);
            if (rejection.isPresent() && analyzer.required()) {
                fatal = new Analysis.Failure(analyzer.name(), rejection.get(), false);
                return;
            }
            putFacts(result, facts);
        }

        void failed(Analyzer analyzer, String reason, boolean transientFailure) {
            Analysis.Failure failure = new Analysis.Failure(analyzer.name(), reason, transientFailure);
            if (analyzer.required()) {
                fatal = failure;
            } else {
                failures.add(failure);
            }
        }

        Analysis analysis() {
            return new Analysis(facts, raw, computed, fatal, failures, input.scratch());
        }
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

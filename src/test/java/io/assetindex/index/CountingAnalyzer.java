package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real analyzer that counts how often it is called, to prove when analysis is (not) repeated;
 * optionally with something that happens meanwhile (another process replacing the file).
 */
final class CountingAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final Runnable meanwhile;
    private final AtomicInteger calls = new AtomicInteger();

    CountingAnalyzer(Analyzer delegate) {
        this(delegate, () -> { });
    }

    CountingAnalyzer(Analyzer delegate, Runnable meanwhile) {
        this.delegate = delegate;
        this.meanwhile = meanwhile;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public AnalyzerSettings settings() {
        return delegate.settings();
    }

    @Override
    public String configHash() {
        return delegate.configHash();
    }

    @Override
    public boolean appliesTo(MediaType mediaType) {
        return delegate.appliesTo(mediaType);
    }

    @Override
    public boolean required() {
        return delegate.required();
    }

    @Override
    public ObjectNode analyze(AnalysisInput input) throws AnalysisException {
        calls.incrementAndGet();
        ObjectNode result = delegate.analyze(input);
        meanwhile.run();
        return result;
    }

    @Override
    public ObjectNode reused(ObjectNode cached, AnalysisInput input) {
        return delegate.reused(cached, input);
    }

    @Override
    public Optional<String> rejection(ObjectNode result, AnalysisInput input) {
        return delegate.rejection(result, input);
    }
}

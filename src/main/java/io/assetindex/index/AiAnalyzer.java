package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.ai.ApiException;
import io.assetindex.config.AiSettings;
import io.assetindex.util.Json;
import java.util.Set;

/**
 * Base of the analyzers that ask a remote AI model: optional (a failure leaves only their
 * result missing, tried again later), deferred (they run in the background after the file is
 * indexed, so a slow or paid call never holds indexing up), and as parallel in the background
 * as their API allows requests in flight.
 */
abstract class AiAnalyzer extends MediaAnalyzer {

    private final AiSettings.Service service;

    AiAnalyzer(AnalyzerSettings settings, Set<MediaType> types, AiSettings.Service service) {
        super(settings, false, types);
        this.service = service;
    }

    @Override
    public final boolean deferred() {
        return true;
    }

    @Override
    public final int parallelism() {
        return service.maxConcurrentRequests();
    }

    /**
     * What to do with a failed request: a model that answered with something unusable (twice)
     * gives a result that records it gave up, so the automatic passes do not pay for it again
     * ({@code requeue} does); one that could not be reached is a failure, tried again later.
     */
    final ObjectNode gaveUpOrThrow(ApiException e) throws AnalysisException {
        if (!e.answered()) {
            throw new AnalysisException(e.getMessage());
        }
        ObjectNode result = Json.object();
        result.put("model", service.model());
        result.put(Reanalyzer.GAVE_UP, e.getMessage());
        return result;
    }
}

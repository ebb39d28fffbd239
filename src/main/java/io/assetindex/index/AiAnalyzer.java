package io.assetindex.index;

import io.assetindex.MediaType;
import io.assetindex.config.AiSettings;
import java.util.Set;

/**
 * Base of the analyzers that ask a remote AI model: optional (a failure leaves only their
 * result missing, tried again later), deferred (they run in the background after the file is
 * indexed, so a slow or paid call never holds indexing up), and as parallel in the background
 * as their API allows requests in flight.
 */
abstract class AiAnalyzer extends MediaAnalyzer {
    private final AiSettings.Service service;

    AiAnalyzer(String name, String versionAndSettings, Set<MediaType> types, AiSettings.Service service) {
        super(name, versionAndSettings, false, types);
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
}

package io.assetindex.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.QueryException;

/**
 * What {@code POST /api/v1/requeue} does: tries again, in the background, the files whose last
 * attempt failed and the analyses that are missing; answers at once with what it started.
 */
@FunctionalInterface
public interface Requeue {
    JsonNode start() throws QueryException;
}

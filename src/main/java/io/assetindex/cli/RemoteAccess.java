package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.query.Queries;
import java.util.Optional;

/** Finds the workspace's running service and connects to its API. */
final class RemoteAccess {
    private RemoteAccess() {}

    static Optional<Queries> connect(Main main, AppConfig config) {
        return Optional.empty();
    }
}

package io.assetindex.cli;

import io.assetindex.config.Workspace;
import io.assetindex.store.IndexDatabase;
import java.nio.file.Files;
import java.time.Clock;

/** Opens an existing index for the commands that work on one and never create it (status, search, prune, backup ...). */
final class IndexAccess {
    private static final int READ_CONNECTIONS = 2;

    private IndexAccess() {}

    static boolean exists(Workspace workspace) {
        return Files.isRegularFile(workspace.databaseFile());
    }

    /** Fails with what to do when the workspace has no index yet. */
    static void requireExisting(Workspace workspace) {
        if (!exists(workspace)) {
            throw new CommandFailure(ExitCode.FAILURE, "no index in " + workspace.root()
                    + " yet; run 'asset-index scan' there first (or pass --workspace DIR)");
        }
    }

    static IndexDatabase openExisting(Workspace workspace, Clock clock) {
        requireExisting(workspace);
        return IndexDatabase.open(workspace.databaseFile(), READ_CONNECTIONS, clock);
    }
}

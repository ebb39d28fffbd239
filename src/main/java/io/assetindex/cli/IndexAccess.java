package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTarget;

/**
 * Opens the index the config names (the workspace's SQLite file, or PostgreSQL) for the commands
 * that work on one: the existing one for those that never create it (status, search, prune,
 * backup ...), or one to write to.
 */
final class IndexAccess {
    private static final int READ_CONNECTIONS = 2;

    private IndexAccess() {}

    /** The database the config names, its password (if any) read from the command's environment. */
    static IndexTarget target(AppConfig config, CliContext context) {
        return IndexTarget.of(config, context.environment()::get);
    }

    /**
     * Fails, saying what to use instead, for the commands that work on the SQLite file itself
     * (backup, restore) when the config puts the index in PostgreSQL.
     */
    static void requireSqlite(AppConfig config, String command) {
        if (!config.database().sqlite()) {
            throw new CommandFailure(ExitCode.USAGE, command + " works on an SQLite index; this one is in PostgreSQL ("
                    + config.database().postgres().display() + "): back it up with PostgreSQL's tools (pg_dump -Fc,"
                    + " pg_restore), or copy it anywhere with 'asset-index export' and 'asset-index import'");
        }
    }

    /** Fails with what to do when the workspace has no index yet. */
    static void requireExisting(AppConfig config, CliContext context) {
        if (!target(config, context).exists()) {
            String where = config.database().sqlite() ? config.workspace().root().toString()
                    : config.database().postgres().display();
            throw new CommandFailure(ExitCode.FAILURE, "no index in " + where
                    + " yet; run 'asset-index scan' there first (or pass --workspace DIR)");
        }
    }

    static IndexDatabase openExisting(AppConfig config, CliContext context) {
        requireExisting(config, context);
        return IndexDatabase.open(target(config, context), READ_CONNECTIONS, context.clock(), config.hostName());
    }

    /** The index to write to, created when missing, with a pool of {@code connections}. */
    static IndexStore openStore(AppConfig config, CliContext context, int connections) {
        return new IndexStore(IndexDatabase.open(target(config, context), connections, context.clock(), config.hostName()),
                context.clock());
    }
}

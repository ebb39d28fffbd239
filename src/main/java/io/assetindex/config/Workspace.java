package io.assetindex.config;

import java.nio.file.Path;

/**
 * The folder the daemon serves. Everything the program writes lives in {@code .asset_index/}
 * below it, which can be deleted at any time (the next run rebuilds it).
 */
public record Workspace(Path root) {
    public static final String DATA_DIR_NAME = ".asset_index";

    public Workspace {
        root = root.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return root.resolve(DATA_DIR_NAME);
    }

    public Path databaseFile() {
        return dataDir().resolve("index.db");
    }

    public Path stateFile() {
        return dataDir().resolve("state.json");
    }

    public Path lockFile() {
        return dataDir().resolve("watcher.lock");
    }

    public Path logsDir() {
        return dataDir().resolve("logs");
    }

    /** Where the bundled tools and the model's native libraries go when the home folder is not writable. */
    public Path cacheDir() {
        return dataDir().resolve("cache");
    }

    /** How a path is shown in logs, process_log and state.json: relative to the workspace when inside it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(root)) {
            String relative = root.relativize(absolute).toString();
            return relative.isEmpty() ? "." : relative;
        }
        return absolute.toString();
    }
}

package io.assetindex.scan;

import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RecordedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Recognises a watch root that was configured by its absolute path and has moved (a disk
 * mounted elsewhere, the same tree on another OS): the config now names it differently, so the
 * index knows nothing under the new name, while an old name holds the same files.
 *
 * <p>The old name is taken over only when all of this holds, so that a mirror or a root that
 * is merely unmounted is never stolen: the new root has no recorded path yet; the old name is
 * not a configured root and its folder does not exist any more, or is empty (a mount point left
 * behind); and at least half of the files
 * found (and of the old root's live paths) have the same relative path, size and mtime to the
 * nanosecond as recorded there, more than for any other candidate.
 */
final class MovedRoots {
    private final IndexStore store;
    private final Path workspaceRoot;
    private final Set<String> configuredRoots;

    MovedRoots(IndexStore store, Path workspaceRoot, Set<String> configuredRoots) {
        this.store = store;
        this.workspaceRoot = workspaceRoot;
        this.configuredRoots = Set.copyOf(configuredRoots);
    }

    /** The old name {@code root} was recorded under, if it is found to have moved. */
    Optional<String> previousName(WatchRoot root, Iterable<FileCandidate> found, int foundCount) {
        String best = null;
        long bestMatches = 0;
        boolean tie = false;
        for (String name : store.sourceRoots()) {
            if (name.equals(root.name()) || configuredRoots.contains(name) || stillThere(name)) {
                continue;
            }
            Map<String, RecordedPath> known = store.knownPaths(name, "");
            long live = known.values().stream().filter(path -> !path.deleted()).count();
            long matches = 0;
            for (FileCandidate file : found) {
                RecordedPath path = known.get(file.relPath());
                if (path != null && path.unchanged(file.sizeBytes(), file.mtimeNs())) {
                    matches++;
                }
            }
            if (matches * 2 < Math.min(foundCount, live) || matches == 0) {
                continue;
            }
            tie = matches == bestMatches;
            if (matches > bestMatches) {
                best = name;
                bestMatches = matches;
            }
        }
        return tie ? Optional.empty() : Optional.ofNullable(best);
    }

    /** Whether the old root's folder still exists with something in it. */
    private boolean stillThere(String name) {
        Path folder;
        try {
            folder = workspaceRoot.resolve(name);
        } catch (InvalidPathException e) {
            return false; // a path of another OS
        }
        if (!Files.isDirectory(folder)) {
            return Files.exists(folder);
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true; // cannot tell: keep it
        }
    }
}

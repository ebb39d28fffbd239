package io.assetindex.scan;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.WatchRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns the paths given to {@code scan} into targets. A path inside a watch root is scanned
 * as part of that root (the deepest one), so its files keep the same identity as in a full
 * scan; a folder outside every root is scanned as a root of its own for this run.
 */
public final class ScanTargets {
    private ScanTargets() {}

    /** Every configured root, whole. */
    public static List<ScanTarget> allRoots(AppConfig config) {
        return config.watchRoots().stream().map(ScanTarget::wholeRoot).toList();
    }

    /**
     * @param paths absolute paths given on the command line
     * @throws ConfigException for a path that does not exist or lies in the data folder
     */
    public static List<ScanTarget> forPaths(AppConfig config, List<Path> paths) {
        if (paths.isEmpty()) {
            return allRoots(config);
        }
        List<ScanTarget> targets = new ArrayList<>();
        for (Path given : paths) {
            Path path = given.toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                throw new ConfigException("path " + path + " does not exist; give a folder or file to scan");
            }
            if (path.startsWith(config.workspace().dataDir())) {
                throw new ConfigException("path " + path + " is inside the index's own folder; give a media folder");
            }
            Optional<WatchRoot> root = config.rootContaining(path);
            if (root.isPresent()) {
                targets.add(new ScanTarget(root.get(), path));
            } else {
                Path dir = Files.isDirectory(path) ? path : path.getParent();
                targets.add(new ScanTarget(new WatchRoot(config.workspace().display(dir), dir, false), path));
            }
        }
        return withoutOverlaps(targets);
    }

    /** Drops repeated targets and targets inside another one of the same root, so no file is processed twice. */
    private static List<ScanTarget> withoutOverlaps(List<ScanTarget> targets) {
        List<ScanTarget> distinct = List.copyOf(new LinkedHashSet<>(targets));
        return distinct.stream()
                .filter(target -> distinct.stream().noneMatch(other -> other.root().equals(target.root())
                        && !other.start().equals(target.start()) && target.start().startsWith(other.start())))
                .toList();
    }
}

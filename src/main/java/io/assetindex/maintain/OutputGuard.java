package io.assetindex.maintain;

import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@code backup} and {@code export} may write their file: never inside a watch path (the
 * media), nor inside the workspace's {@code .asset_index/} (the index database with its -wal,
 * -shm and lock files, the watcher's lock, state.json, logs, thumbnails), however the path is
 * spelled. Paths are compared as the file system resolves them (symlinks, "..", relative
 * paths): the target's folder by its real path, and a target that exists by its own real path
 * too, so neither a symlinked folder nor a symlink to a media file gets through. An existing
 * file is replaced only when asked.
 */
public final class OutputGuard {
    /** Real path of each protected folder, with what it is for the refusal. */
    private final Map<Path, String> protectedFolders = new LinkedHashMap<>();

    public OutputGuard(Workspace workspace, List<WatchRoot> roots) {
        for (WatchRoot root : roots) {
            protectedFolders.put(real(root.dir()), "inside watch path '" + root.name() + "', among the media");
        }
        protectedFolders.put(real(workspace.dataDir()), "inside " + Workspace.DATA_DIR_NAME + "/, where asset-index"
                + " keeps the index, its locks, state and logs");
    }

    /**
     * The file to write: its folder's real path and its name (a symlink of that name is replaced,
     * not followed).
     *
     * @param what "backup" or "export", for the messages
     * @throws MaintenanceException saying why and what to do, when the target may not be written
     */
    Path checked(Path target, boolean replace, String what) {
        Path absolute = target.toAbsolutePath(); // not normalized: the file system resolves ".." after symlinks
        Path name = absolute.getFileName();
        if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
            throw new MaintenanceException(absolute.normalize() + " is a folder; give the name of the " + what
                    + " file to write");
        }
        Path folder;
        try {
            folder = absolute.getParent().toRealPath();
        } catch (NoSuchFileException e) {
            throw new MaintenanceException("folder " + absolute.getParent().normalize() + " does not exist; create it"
                    + " first");
        } catch (IOException e) {
            throw new MaintenanceException("cannot use folder " + absolute.getParent().normalize() + ": " + e.getMessage());
        }
        Path location = folder.resolve(name);
        if (Files.isDirectory(location)) {
            throw new MaintenanceException(location + " is a folder; give the name of the " + what + " file to write");
        }
        List<Path> places = new ArrayList<>(List.of(location));
        if (Files.exists(location)) {
            places.add(real(location)); // a symlink: where it points
        }
        for (Path place : places) {
            protectedFolders.forEach((protectedFolder, description) -> {
                if (place.startsWith(protectedFolder)) {
                    throw new MaintenanceException("refusing to write the " + what + " to " + absolute.normalize()
                            + (place.equals(absolute.normalize()) ? "" : " (" + place + ")") + ": it is " + description
                            + "; write it outside the watch paths and " + Workspace.DATA_DIR_NAME + "/");
                }
            });
        }
        if (Files.exists(location, LinkOption.NOFOLLOW_LINKS) && !replace) {
            throw new MaintenanceException(location + " exists; give another file name, or --force to replace it");
        }
        return location;
    }

    /** The real path; for a path that does not exist (yet), its nearest existing folder's real path and the rest. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}

package io.assetindex.scan;

import io.assetindex.config.WatchRoot;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RecordedPath;
import io.assetindex.store.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a walk of an unmounted or emptied disk from being taken for deleted files.
 *
 * <p>A watch path, and each mount point found below it, is a <em>volume</em>: every walk that
 * covers one records its device and how many files it found there. A walk that covers a volume
 * holding indexed files and finds no file there at all, or fewer than a tenth as many files as it
 * held (when it held at least {@link #MIN_FILES_FOR_FRACTION}), or finds it unmounted (the watch path was a disk of its
 * own and is now a folder on its parent's disk, or a mount point below it is gone), <em>holds</em>
 * the deletions under it: nothing there is marked deleted, and the hold is recorded (status shows
 * it) and reported, until a walk finds the files again or the user confirms that they are gone
 * ({@code scan --confirm-deletes}). A walk of a folder inside a volume only checks that the watch
 * path is still mounted: a folder emptied on purpose is an ordinary delete.
 */
public final class VolumeGuard {
    static final int MIN_FILES_FOR_FRACTION = 10;

    /** Deletions held back below {@code relPrefix} of a watch path, and why. */
    record Hold(WatchRoot root, String relPrefix, String reason) {
        /** The volume as people see it: "raw_assets" or "raw_assets/archive". */
        String shown() {
            return relPrefix.isEmpty() ? root.name() : root.displayPath(relPrefix.substring(0, relPrefix.length() - 1));
        }
    }

    private final IndexStore store;

    VolumeGuard(IndexStore store) {
        this.store = store;
    }

    /**
     * Judges the volumes a walk of {@code target} covers, records what it found, and returns the
     * holds: prefixes under which nothing may be marked deleted.
     *
     * @param live      the indexed live paths under the target
     * @param found     the relative paths the walk found
     * @param confirmed the user confirmed that missing files are gone: nothing is held
     */
    List<Hold> check(ScanTarget target, TreeWalker.Result walk, Collection<RecordedPath> live, Set<String> found,
            boolean confirmed) {
        WatchRoot root = target.root();
        String targetPrefix = target.relPrefix();
        Map<String, Volume> recorded = store.volumes(root.name());
        List<Hold> holds = new ArrayList<>();
        if (!targetPrefix.isEmpty()) {
            unmountedRoot(recorded.get(""), walk.rootParentDevice(), device(root.dir()))
                    .filter(reason -> !confirmed)
                    .ifPresent(reason -> holds.add(new Hold(root, targetPrefix, reason)));
            return holds;
        }
        Set<String> prefixes = new TreeSet<>(recorded.keySet());
        prefixes.add("");
        prefixes.addAll(walk.mountPoints().keySet());
        for (String prefix : prefixes) {
            String deviceNow = prefix.isEmpty() ? walk.startDevice() : walk.mountPoints().get(prefix);
            long known = live.stream().filter(path -> path.relPath().startsWith(prefix)).count();
            // Every file found counts, not only those at known paths: moved and renamed files are there.
            long present = found.stream().filter(path -> path.startsWith(prefix)).count();
            Optional<String> unmounted = prefix.isEmpty()
                    ? unmountedRoot(recorded.get(""), walk.rootParentDevice(), deviceNow)
                    : deviceNow == null && recorded.containsKey(prefix)
                            ? Optional.of("the disk mounted there (device " + recorded.get(prefix).device() + ") is not there")
                            : Optional.empty();
            Optional<String> reason = confirmed ? Optional.empty()
                    : unmounted.filter(why -> present < known).or(() -> holdReason(known, present));
            if (reason.isPresent()) {
                holds.add(new Hold(root, prefix, reason.get()));
                Volume before = recorded.get(prefix);
                store.recordVolume(root.name(), prefix, before != null ? before.device() : String.valueOf(deviceNow),
                        before != null ? before.files() : known, reason.get());
            } else if (deviceNow != null) {
                store.recordVolume(root.name(), prefix, deviceNow, present, null);
            } else if (recorded.containsKey(prefix)) {
                store.forgetVolume(root.name(), prefix); // a mount point that is gone, confirmed or empty
            }
        }
        return holds;
    }

    /**
     * Whether the watch path is unmounted now: it was recorded on a device of its own, and its
     * folder is now on the device of the folder holding it. A plain folder on its parent's disk,
     * or a disk remounted under another device number, is not.
     */
    static Optional<String> unmountedRoot(Volume recorded, String parentDevice, String deviceNow) {
        if (recorded == null || deviceNow == null || parentDevice == null || recorded.device().equals(deviceNow)
                || recorded.device().equals(parentDevice) || !deviceNow.equals(parentDevice)) {
            return Optional.empty();
        }
        return Optional.of("it looks unmounted: its folder is on the disk of the folder holding it (device "
                + deviceNow + "), where its files were on device " + recorded.device());
    }

    /**
     * Why the deletions of a whole volume must wait, from counts alone: {@code known} files are
     * indexed there and {@code present} files are there now; empty when that is an ordinary change.
     */
    public static Optional<String> holdReason(long known, long present) {
        if (known > 0 && present == 0) {
            return Optional.of("the walk found no file where " + known + " are indexed");
        }
        if (known >= MIN_FILES_FOR_FRACTION && present * 10 < known) {
            return Optional.of("the walk found only " + present + " files where " + known + " are indexed");
        }
        return Optional.empty();
    }

    /** Whether the watch path is unmounted now (see {@link #unmountedRoot}), from its recorded volume. */
    Optional<String> unmounted(WatchRoot root) {
        Path parent = root.dir().toAbsolutePath().getParent();
        return parent == null ? Optional.empty()
                : unmountedRoot(store.volumes(root.name()).get(""), device(parent), device(root.dir()));
    }

    private static String device(Path path) {
        try {
            return TreeWalker.device(Files.readAttributes(path, BasicFileAttributes.class));
        } catch (IOException e) {
            return null;
        }
    }
}

package io.assetindex.watch;

import io.assetindex.config.WatchRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns file-system events into work, one path at a time.
 *
 * <p>A changed file becomes due once it has been quiet (no event) for the quiet period
 * <em>and</em> its size and mtime are the same as at its last event, or once it has waited
 * the maximum delay since its first event, so a file that never stops changing is still
 * tried. A deleted path becomes due after the quiet period too, so a delete followed by a
 * create (an editor's safe save) is seen as a change. At most {@code maxPending} paths wait:
 * beyond that, the folder holding the most waiting paths collapses into one rescan of that
 * folder (and if no folder holds two, the busiest root is rescanned), so memory stays flat
 * whatever the burst. A rescan absorbs every waiting path below it, and later events there.
 * Deletes are handed out after changes and rescans.
 *
 * <p>Time comes from the injected nanosecond clock and file state from the injected stat,
 * so tests drive it without sleeping. Thread-safe; handing out work costs time in proportion
 * to the work handed out (and to the entries skipped because they are not quiet yet), not to
 * everything that waits.
 */
final class Debouncer {

    enum Kind {
        /** A file to index. */
        FILE,
        /** A file or folder that may be gone. */
        GONE,
        /** A folder to rescan. */
        RESCAN
    }

    record Work(Kind kind, WatchRoot root, Path path) {}

    /** Size and mtime of a file; the stat returns null for a path that does not exist. */
    record Stamp(long sizeBytes, long mtimeNs) {}

    @FunctionalInterface
    interface Stat {
        Stamp of(Path path);
    }

    /** Waiting work by (root, path): a nested root's folder is a path of two roots. */
    private record Key(WatchRoot root, Path path) {}

    private static final class Entry {
        Kind kind;
        final WatchRoot root;
        final Path path;
        final long firstNs;
        long lastNs;
        long notBeforeNs;
        Stamp stamp;

        Entry(Kind kind, WatchRoot root, Path path, long nowNs) {
            this.kind = kind;
            this.root = root;
            this.path = path;
            this.firstNs = nowNs;
            this.lastNs = nowNs;
        }
    }

    private final long quietNs;
    private final long maxDelayNs;
    private final int maxPending;
    private final LongSupplier nanoTime;
    private final Stat stat;
    /** Files and possibly-gone paths, in order of their first event. */
    private final Map<Key, Entry> paths = new LinkedHashMap<>();
    /** Folders to rescan; few, since each absorbs everything below it. */
    private final Map<Key, Entry> rescans = new LinkedHashMap<>();

    Debouncer(long quietNs, long maxDelayNs, int maxPending, LongSupplier nanoTime, Stat stat) {
        if (maxPending < 2) {
            throw new IllegalArgumentException("maxPending must be at least 2");
        }
        this.quietNs = quietNs;
        this.maxDelayNs = Math.max(maxDelayNs, quietNs);
        this.maxPending = maxPending;
        this.nanoTime = nanoTime;
        this.stat = stat;
    }

    synchronized void changed(WatchRoot root, Path file) {
        Entry entry = entryFor(root, file, Kind.FILE);
        if (entry != null) {
            entry.kind = Kind.FILE;
            entry.stamp = stat.of(file);
            limitPending();
        }
    }

    synchronized void gone(WatchRoot root, Path path) {
        Entry entry = entryFor(root, path, Kind.GONE);
        if (entry != null) {
            entry.kind = Kind.GONE;
            entry.stamp = null;
            limitPending();
        }
    }

    /** The entry for an event at {@code path}, its quiet period restarted; null when a rescan covers it. */
    private Entry entryFor(WatchRoot root, Path path, Kind kind) {
        if (coveredByRescan(root, path)) {
            return null;
        }
        long now = nanoTime.getAsLong();
        Entry entry = paths.computeIfAbsent(new Key(root, path), key -> new Entry(kind, root, path, now));
        entry.lastNs = now;
        return entry;
    }

    /** Rescans {@code dir} once it is quiet and at least {@code delayNs} from now, absorbing what waits below it. */
    synchronized void rescan(WatchRoot root, Path dir, long delayNs) {
        if (dir.getParent() != null && coveredByRescan(root, dir.getParent())) {
            return;
        }
        long now = nanoTime.getAsLong();
        paths.keySet().removeIf(key -> key.root().equals(root) && key.path().startsWith(dir));
        rescans.keySet().removeIf(key -> key.root().equals(root) && key.path().startsWith(dir)
                && !key.path().equals(dir));
        Entry entry = rescans.computeIfAbsent(new Key(root, dir), key -> new Entry(Kind.RESCAN, root, dir, now));
        entry.lastNs = now;
        entry.notBeforeNs = Math.max(entry.notBeforeNs, now + delayNs);
    }

    /** Puts work back, due no earlier than {@code delayNs} from now (after a failure that may pass). */
    synchronized void retry(Work work, long delayNs) {
        if (work.kind() == Kind.RESCAN) {
            rescan(work.root(), work.path(), delayNs);
            return;
        }
        Entry entry = entryFor(work.root(), work.path(), work.kind());
        if (entry != null) {
            entry.notBeforeNs = Math.max(entry.notBeforeNs, nanoTime.getAsLong() + delayNs);
        }
    }

    /**
     * Takes the work that is due: at most {@code maxFiles} files and deletes, and rescans only
     * when {@code takeRescans}. Changes and rescans come before deletes.
     */
    synchronized List<Work> due(int maxFiles, boolean takeRescans) {
        long now = nanoTime.getAsLong();
        List<Entry> ready = new ArrayList<>();
        if (takeRescans) {
            takeDue(rescans, Integer.MAX_VALUE, now, ready);
        }
        takeDue(paths, maxFiles, now, ready);
        ready.sort(Comparator.comparing(entry -> entry.kind == Kind.GONE));
        return ready.stream().map(entry -> new Work(entry.kind, entry.root, entry.path)).toList();
    }

    private void takeDue(Map<Key, Entry> entries, int max, long now, List<Entry> into) {
        int taken = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && taken < max; ) {
            Entry entry = it.next();
            if (now >= entry.notBeforeNs && isDue(entry, now)) {
                it.remove();
                into.add(entry);
                taken++;
            }
        }
    }

    private boolean isDue(Entry entry, long now) {
        if (now - entry.firstNs >= maxDelayNs) {
            return true;
        }
        if (now - entry.lastNs < quietNs) {
            return false;
        }
        if (entry.kind != Kind.FILE) {
            return true;
        }
        Stamp current = stat.of(entry.path);
        if (current == null) {
            entry.kind = Kind.GONE; // vanished without a delete event yet: settle it as a delete
            return true;
        }
        if (current.equals(entry.stamp)) {
            return true;
        }
        entry.stamp = current; // changed without an event (coalesced, or a slow network file system): wait again
        entry.lastNs = now;
        return false;
    }

    synchronized int size() {
        return paths.size() + rescans.size();
    }

    /** How many files and paths that may be gone wait (not counting rescans). */
    synchronized int paths() {
        return paths.size();
    }

    private boolean coveredByRescan(WatchRoot root, Path path) {
        if (rescans.isEmpty()) {
            return false;
        }
        for (Path p = path; p != null && p.startsWith(root.dir()); p = p.getParent()) {
            if (rescans.containsKey(new Key(root, p))) {
                return true;
            }
        }
        return false;
    }

    private void limitPending() {
        while (paths.size() > maxPending) {
            int before = size();
            Map<Key, Integer> byFolder = new HashMap<>();
            Map<WatchRoot, Integer> byRoot = new HashMap<>();
            for (Key key : paths.keySet()) {
                byRoot.merge(key.root(), 1, Integer::sum);
                if (key.path().getParent() != null) {
                    byFolder.merge(new Key(key.root(), key.path().getParent()), 1, Integer::sum);
                }
            }
            Map.Entry<Key, Integer> busiest = byFolder.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
            if (busiest != null && busiest.getValue() >= 2) {
                rescan(busiest.getKey().root(), busiest.getKey().path(), 0);
            } else {
                WatchRoot root = byRoot.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                rescan(root, root.dir(), 0);
            }
            if (size() >= before) {
                return; // one path per root and more roots than the limit: nothing left to merge
            }
        }
    }
}

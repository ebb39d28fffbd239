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
 * whatever the burst. A rescan absorbs every waiting path below it. Deletes are handed out
 * after changes and rescans.
 *
 * <p>Time comes from the injected nanosecond clock and file state from the injected stat,
 * so tests drive it without sleeping. Thread-safe.
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
    /** Waiting work by (root, path): a nested root's folder is a path of two roots. */
    private record Key(WatchRoot root, Path path) {}

    private final Map<Key, Entry> pending = new LinkedHashMap<>();

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
        if (coveredByRescan(root, file)) {
            return;
        }
        long now = nanoTime.getAsLong();
        Entry entry = pending.computeIfAbsent(new Key(root, file), k -> new Entry(Kind.FILE, root, file, now));
        entry.kind = Kind.FILE;
        entry.lastNs = now;
        entry.stamp = stat.of(file);
        limitPending();
    }

    synchronized void gone(WatchRoot root, Path path) {
        if (coveredByRescan(root, path)) {
            return;
        }
        long now = nanoTime.getAsLong();
        Entry entry = pending.computeIfAbsent(new Key(root, path), k -> new Entry(Kind.GONE, root, path, now));
        if (entry.kind != Kind.RESCAN) {
            entry.kind = Kind.GONE;
            entry.stamp = null;
        }
        entry.lastNs = now;
        limitPending();
    }

    /** Rescans {@code dir} once it is quiet and at least {@code delayNs} from now, absorbing what waits below it. */
    synchronized void rescan(WatchRoot root, Path dir, long delayNs) {
        if (dir.getParent() != null && coveredByRescan(root, dir.getParent())) {
            return;
        }
        long now = nanoTime.getAsLong();
        pending.values().removeIf(entry -> entry.root.equals(root) && entry.path.startsWith(dir) && !entry.path.equals(dir));
        Entry entry = pending.computeIfAbsent(new Key(root, dir), k -> new Entry(Kind.RESCAN, root, dir, now));
        entry.kind = Kind.RESCAN;
        entry.lastNs = now;
        entry.notBeforeNs = Math.max(entry.notBeforeNs, now + delayNs);
    }

    /** Puts work back, due no earlier than {@code delayNs} from now (after a failure that may pass). */
    synchronized void retry(Work work, long delayNs) {
        if (coveredByRescan(work.root(), work.path())) {
            return;
        }
        long now = nanoTime.getAsLong();
        Entry entry = pending.computeIfAbsent(new Key(work.root(), work.path()),
                k -> new Entry(work.kind(), work.root(), work.path(), now));
        entry.notBeforeNs = Math.max(entry.notBeforeNs, now + delayNs);
    }

    /**
     * Takes the work that is due: at most {@code maxFiles} files and deletes, and rescans only
     * when {@code takeRescans}. Changes and rescans come before deletes.
     */
    synchronized List<Work> due(int maxFiles, boolean takeRescans) {
        long now = nanoTime.getAsLong();
        List<Entry> ready = new ArrayList<>();
        int files = 0;
        for (Iterator<Entry> it = pending.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            boolean wanted = entry.kind == Kind.RESCAN ? takeRescans : files < maxFiles;
            if (!wanted || now < entry.notBeforeNs || !isDue(entry, now)) {
                continue;
            }
            it.remove();
            ready.add(entry);
            if (entry.kind != Kind.RESCAN) {
                files++;
            }
        }
        ready.sort(Comparator.comparing(entry -> entry.kind == Kind.GONE));
        return ready.stream().map(entry -> new Work(entry.kind, entry.root, entry.path)).toList();
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
        return pending.size();
    }

    private boolean coveredByRescan(WatchRoot root, Path path) {
        for (Path p = path; p != null && p.startsWith(root.dir()); p = p.getParent()) {
            Entry entry = pending.get(new Key(root, p));
            if (entry != null && entry.kind == Kind.RESCAN) {
                return true;
            }
        }
        return false;
    }

    private void limitPending() {
        while (pending.size() > maxPending) {
            int before = pending.size();
            Map<Key, Integer> byFolder = new HashMap<>();
            Map<WatchRoot, Integer> byRoot = new HashMap<>();
            for (Entry entry : pending.values()) {
                byRoot.merge(entry.root, 1, Integer::sum);
                if (entry.kind != Kind.RESCAN && entry.path.getParent() != null) {
                    byFolder.merge(new Key(entry.root, entry.path.getParent()), 1, Integer::sum);
                }
            }
            Map.Entry<Key, Integer> busiest = byFolder.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
            if (busiest != null && busiest.getValue() >= 2) {
                rescan(busiest.getKey().root(), busiest.getKey().path(), 0);
            } else {
                WatchRoot root = byRoot.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                rescan(root, root.dir(), 0);
            }
            if (pending.size() >= before) {
                return; // one entry per root and more roots than the limit: nothing left to merge
            }
        }
    }
}

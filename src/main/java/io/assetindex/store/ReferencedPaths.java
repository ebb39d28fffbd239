package io.assetindex.store;

import java.util.Arrays;

/**
 * The set of paths that rows of the index refer to (the thumbnails its results name), held as
 * sorted 64-bit fingerprints: 8 bytes a path, whatever the paths' length, so a million of them take
 * 8 MB instead of the strings' 150.
 *
 * <p>Guarantee: {@link #mayContain} is true for every path added. It may also be true for a path
 * that was not (two paths with one fingerprint, about 1 in 2^64 per pair): what decides deleting by
 * "not referenced" then keeps a file it could have deleted, and never deletes one that is referenced.
 */
public final class ReferencedPaths {
    private final long[] fingerprints;

    private ReferencedPaths(long[] fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Whether {@code path} may be among the paths added; certainly not when false. */
    public boolean mayContain(String path) {
        return Arrays.binarySearch(fingerprints, fingerprint(path)) >= 0;
    }

    /** How many distinct fingerprints are held. */
    public int size() {
        return fingerprints.length;
    }

    /** 64-bit FNV-1a over the path's UTF-16 code units, then a final mix so nearby paths spread. */
    static long fingerprint(String path) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            hash = (hash ^ (c & 0xff)) * 0x100000001b3L;
            hash = (hash ^ (c >>> 8)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        return hash ^ hash >>> 33;
    }

    /** Collects paths, then {@link #build}s the set. */
    static final class Builder {
        private long[] added = new long[1024];
        private int count;

        void add(String path) {
            if (count == added.length) {
                added = Arrays.copyOf(added, count * 2);
            }
            added[count++] = fingerprint(path);
        }

        ReferencedPaths build() {
            long[] sorted = Arrays.copyOf(added, count);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[distinct - 1]) {
                    sorted[distinct++] = sorted[i];
                }
            }
            return new ReferencedPaths(Arrays.copyOf(sorted, distinct));
        }
    }
}

package io.assetindex.store;

/**
 * What a recorded run counted.
 *
 * @param seen      files (or indexed paths, for a verification) looked at
 * @param indexed   new contents analyzed and stored
 * @param linked    known contents recorded at new paths (not analyzed)
 * @param skipped   files with nothing new: unchanged, the same content again, or failed before and not changed
 * @param failed    files that could not be indexed (or read)
 * @param deleted   indexed paths marked deleted because they are gone
 * @param corrupt   files the integrity check judged corrupt in this run
 * @param warnings  files the integrity check found readable with warnings in this run
 * @param bytesRead bytes read to hash the files indexed (or checked, by a verification)
 * @param bitRot    files whose content differs from their recorded hash though size and mtime did not change
 *                  (only a verification reads files that look unchanged: 0 for scans)
 */
public record RunCounts(long seen, long indexed, long linked, long skipped, long failed, long deleted, long corrupt,
        long warnings, long bytesRead, long bitRot) {}

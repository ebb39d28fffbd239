package io.assetindex.store;

/** What a run hands to the scan history when it ends (see {@link IndexStore#runInHistory}). */
public interface RunResult {
    RunCounts runCounts();

    /** Anything people should know about the run (watch paths missing, deletions held back), or null. */
    String runNotes();
}

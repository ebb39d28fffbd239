package io.assetindex.query;

import io.assetindex.store.ProcessStatus;

/** A page of the process_log, newest first, optionally of one status (null: all). */
public record LogQuery(ProcessStatus status, int limit, int offset) {}

package io.assetindex.query;

/** A page of the files whose last attempt failed, newest failure first. */
public record FailuresQuery(int limit, int offset) {}

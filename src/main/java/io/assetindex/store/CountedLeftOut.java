package io.assetindex.store;

import java.time.Instant;

/** What the last whole walk of a watch path left out because of extensions, and when it ran. */
public record CountedLeftOut(String sourceRoot, Instant countedAt, LeftOut leftOut) {}

package io.assetindex.index;

import java.io.IOException;
import java.nio.file.Path;

/** Computes the content hash of a file. */
public interface Hasher {

    /** The hash and how many bytes it covers (which the caller compares with the file's size). */
    record Result(String sha256, long bytesRead) {}

    Result hash(Path file) throws IOException;
}

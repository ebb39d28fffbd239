package io.assetindex.index;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.util.Locale;

/** The file an analyzer looks at, with what is already known about it. */
public record AnalysisInput(Path file, MediaType mediaType, long sizeBytes, String contentHash) {

    /** The lower-case extension without the dot, or "". */
    public String extension() {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

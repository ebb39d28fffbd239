package io.assetindex.state;

import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * state.json, written crash-safe ({@link SafeFiles#write}): a reader sees the old document or
 * the new one, never a mix, and a crash leaves one of them.
 */
public final class StateFile {
    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void write(WatcherSnapshot snapshot) throws IOException {
        SafeFiles.write(file, (Json.pretty(snapshot) + "\n").getBytes(StandardCharsets.UTF_8), "state");
    }

    /** The last document written, or empty when there is none or it cannot be read. */
    public Optional<WatcherSnapshot> read() {
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), WatcherSnapshot.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

package io.assetindex.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * state.json, written crash-safe: the new content goes to a temporary file in the same
 * folder, is forced to disk, then renamed over the old file, and the folder is synced. A
 * reader sees the old document or the new one, never a mix, and a crash leaves one of them.
 */
public final class StateFile {
    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void write(Map<String, Object> document) throws IOException {
        byte[] bytes = (Json.pretty(document) + "\n").getBytes(StandardCharsets.UTF_8);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        SafeFiles.replace(temp, file);
    }

    /** The last document written, or empty when there is none or it cannot be read. */
    public Optional<JsonNode> read() {
        try {
            return Optional.of(Json.MAPPER.readTree(file.toFile())).filter(JsonNode::isObject);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

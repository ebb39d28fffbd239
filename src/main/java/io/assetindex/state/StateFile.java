package io.assetindex.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * state.json, written crash-safe ({@link SafeFiles#write}): a reader sees the old document or
 * the new one, never a mix, and a crash leaves one of them.
 */
public final class StateFile {
    /** state.json is a few kilobytes: a larger file is not one a watcher wrote, and is not read into memory. */
    static final int MAX_BYTES = 1 << 20;

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
            return Optional.of(Json.MAPPER.readValue(document(), WatcherSnapshot.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Who wrote the last document and where its API answered, without the rest: read as a tree,
     * for the short commands that only look for the running service (binding the whole snapshot,
     * Jackson's first look at its records, took 65 ms of each such command's start). Empty when
     * there is no document or it cannot be read.
     */
    public Optional<Contact> contact() {
        try {
            JsonNode document = Json.MAPPER.readTree(document());
            if (document == null || !document.isObject()) {
                return Optional.empty();
            }
            JsonNode url = document.path("api").path("url");
            return Optional.of(new Contact(WatcherInfo.identity(document.path("pid").asLong(),
                    document.path("pid_start_time").textValue()), url.isTextual() ? url.textValue() : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param process the process that wrote the document, if it names one readably
     * @param apiUrl  where its API answered, if it served one
     */
    public record Contact(ProcessIdentity process, String apiUrl) {
        /** The API's address, if the process that wrote it is running now. */
        public Optional<String> liveApiUrl() {
            return apiUrl != null && process != null && process.isRunning() ? Optional.of(apiUrl) : Optional.empty();
        }
    }

    private byte[] document() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }
}

package io.assetindex.maintain;

import io.assetindex.store.ConfigSnapshot;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexTransfer;
import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import io.assetindex.util.Timestamps;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * {@code export}: writes every asset that has a live path, in the {@link ExportFormat}. To a
 * file, the export is written under a temporary name and renamed when complete, so a file of
 * that name is always a whole export; a name ending in {@code .gz} is gzipped.
 */
public final class IndexExport {

    /** What was written. */
    public record Result(long assets, long paths, long vectors, long thumbnails, double seconds) {

        public String line() {
            return String.format("%d assets, %d paths, %d vectors, %d thumbnails in %.1fs", assets, paths, vectors,
                    thumbnails, seconds);
        }
    }

    private final IndexDatabase database;
    private final Path dataDir;
    private final boolean thumbnails;
    private final String programVersion;
    private final Clock clock;

    public IndexExport(IndexDatabase database, Path dataDir, boolean thumbnails, String programVersion, Clock clock) {
        this.database = database;
        this.dataDir = dataDir;
        this.thumbnails = thumbnails;
        this.programVersion = programVersion;
        this.clock = clock;
    }

    /** @param guard where the export may not go (media, .asset_index/) */
    public Result toFile(Path target, boolean replace, OutputGuard guard) {
        Path absolute = guard.checked(target, replace, "export");
        Path temp = SafeFiles.tempSibling(absolute, "export");
        try {
            Result result;
            boolean gzip = absolute.getFileName().toString().endsWith(".gz");
            try (OutputStream file = Files.newOutputStream(temp);
                    OutputStream bytes = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
                    Writer writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16)) {
                result = write(writer);
            }
            SafeFiles.fsync(temp);
            SafeFiles.replace(temp, absolute);
            return result;
        } catch (IOException e) {
            throw new MaintenanceException("cannot write " + absolute + ": " + e.getMessage(), e);
        } finally {
            SafeFiles.deleteQuietly(temp);
        }
    }

    /** Writes the export to {@code writer} (flushed, not closed). */
    public Result write(Writer writer) throws IOException {
        long start = System.nanoTime();
        long[] counts = new long[3];
        long assets = new IndexTransfer(database).exportTo(new IndexTransfer.Sink() {
            @Override
            public void begin(EmbeddingModel activeModel, int schemaVersion, List<ConfigSnapshot> settings)
                    throws IOException {
                writer.write(Json.write(ExportFormat.header(Timestamps.local(clock.instant(), clock.getZone()),
                        programVersion, schemaVersion, activeModel, thumbnails, settings)));
                writer.write('\n');
            }

            @Override
            public void accept(IndexTransfer.TransferAsset asset) throws IOException {
                String thumbnailPath = thumbnails ? thumbnailPath(asset) : null;
                byte[] thumbnail = thumbnailPath == null ? null : readThumbnail(thumbnailPath);
                writer.write(Json.write(ExportFormat.assetLine(asset, thumbnail, thumbnail == null ? null : thumbnailPath)));
                writer.write('\n');
                counts[0] += asset.paths().size();
                counts[1] += asset.vector() == null ? 0 : 1;
                counts[2] += thumbnail == null ? 0 : 1;
            }
        });
        writer.write(Json.write(ExportFormat.trailer(assets)));
        writer.write('\n');
        writer.flush();
        return new Result(assets, counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1e9);
    }

    /** The newest thumbnail result's file, relative to .asset_index/. */
    private static String thumbnailPath(IndexTransfer.TransferAsset asset) {
        return asset.analyses().stream()
                .filter(a -> a.analyzer().equals(ExportFormat.THUMBNAIL_ANALYZER))
                .max((a, b) -> String.valueOf(a.createdAt()).compareTo(String.valueOf(b.createdAt())))
                .map(a -> Json.read(a.resultJson()).path("path").asText(null))
                .filter(path -> path != null && ExportFormat.THUMBNAIL_PATH.matcher(path).matches())
                .orElse(null);
    }

    private byte[] readThumbnail(String relative) {
        Path file = dataDir.resolve(relative);
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

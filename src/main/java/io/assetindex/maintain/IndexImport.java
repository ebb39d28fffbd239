package io.assetindex.maintain;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.config.WatchRoot;
import io.assetindex.embed.LocalEmbedder;
import io.assetindex.index.EmbedAnalyzer;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexTransfer;
import io.assetindex.store.PathRecord;
import io.assetindex.store.StoreException;
import io.assetindex.store.VectorRecord;
import io.assetindex.util.SafeFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

/**
 * {@code import FILE}: merges an export into this workspace's index (see {@link IndexTransfer}
 * for the rules). No analyzer runs: the export's results are stored as they are, and the settings
 * behind their config hashes with them (a hash this index knows keeps its own record).
 *
 * <p>Guarantees: a file with anything the index could not use changes nothing (the index is
 * not even created). The {@linkplain #check first pass} reads the whole file and writes
 * nothing: the header, then every line as {@link ImportedLine} reads it for the merge (every
 * column, JSON column, path, analysis result, vector and thumbnail), then the trailer (a file
 * cut short is refused). A line longer than {@value #MAX_LINE_BYTES} bytes is refused without
 * being read whole. The {@linkplain #merge second pass} reads the same open file again, so a file
 * renamed over it meanwhile is not seen, and merges in transactions of {@value #BATCH} assets (or
 * fewer, {@value #BATCH_BYTES} bytes of lines at most); each batch's bytes must have the checksum
 * the first pass saw before it is written, so a file changed in place stops the import between
 * two transactions, with only lines that were checked merged.
 *
 * <p>Vectors are imported only when they were made by the model this index uses (its active
 * model, or the configured one for an index without vectors) with the dimension it has there;
 * otherwise they are left out, and the next scan or watch re-embeds those assets from their
 * stored text (no file is read). An import never changes a model's dimension.
 */
public final class IndexImport {
    static final int BATCH = 200;
    static final long BATCH_BYTES = 64L << 20;
    /** Fits a line with a thumbnail (about 30 KB) and hours of transcript with segments (a few MB). */
    static final int MAX_LINE_BYTES = 64 << 20;
    private static final String REEMBEDDED = "the next scan or watch re-embeds those assets from their stored text";

    /** What the import did. */
    public record Report(long assets, long newAssets, long updatedAssets, long paths, long pathConflicts,
            long analyses, long vectors, long thumbnails, long configSnapshots, String vectorsLeftOut, double seconds) {

        public String line() {
            return String.format("%d assets (%d new, %d with newer analyses), %d paths (%d kept as this index has them),"
                    + " %d analysis results, %d vectors, %d thumbnails in %.1fs", assets, newAssets, updatedAssets,
                    paths, pathConflicts, analyses, vectors, thumbnails, seconds);
        }
    }

    /**
     * The model this workspace embeds with, for an index that has no vectors yet.
     *
     * @param dimension its vectors' dimension when known without running it (the local model, or
     *                  an API asked for a set number), else null
     */
    public record EmbeddingTarget(String configHash, Integer dimension) {
        public static EmbeddingTarget of(EmbeddingSettings settings, String configHash) {
            return new EmbeddingTarget(configHash, EmbeddingSettings.LOCAL.equals(settings.provider())
                    ? Integer.valueOf(LocalEmbedder.DIMENSION) : settings.dimensions());
        }
    }

    /** Hears how far the merge is (after the whole file was checked). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void started(long assets) {}

        default void merged(long assets) {}
    }

    private final Path dataDir;
    private final Map<String, WatchRoot> roots;
    private final EmbeddingTarget configured;
    private final Clock clock;

    public IndexImport(Path dataDir, List<WatchRoot> roots, EmbeddingTarget configured, Clock clock) {
        this.dataDir = dataDir;
        this.roots = roots.stream().collect(Collectors.toMap(WatchRoot::name, Function.identity(), (a, b) -> a));
        this.configured = configured;
        this.clock = clock;
    }

    /** A file that passed the first pass, held open for the second. */
    public static final class Checked implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private ImportedLine.Header header;
        private long assets;
        private long vectors;
        private boolean ended;
        /** The checksum of each batch's lines, in order. */
        private final List<Long> batches = new ArrayList<>();

        private Checked(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        public long assets() {
            return assets;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // read only: nothing is lost
            }
        }
    }

    /**
     * The first pass: the whole file is one the merge can use, or a MaintenanceException names the
     * first line and field that is not.
     */
    public Checked check(Path file) {
        Checked checked = new Checked(file, openChannel(file));
        try {
            Batches batches = new Batches();
            read(checked, batches, (lines, line) -> {
                if (checked.ended) {
                    throw new BadLine(null, "text after the end line");
                }
                if (checked.header == null) {
                    checked.header = ImportedLine.header(line, file.toString());
                    return;
                }
                switch (line.path("type").asText()) {
                    case "asset" -> {
                        checked.vectors += ImportedLine.asset(line, checked.header, roots).vector() == null ? 0 : 1;
                        checked.assets++;
                        if (batches.full(lines.lineBytes())) {
                            checked.batches.add(batches.close());
                        }
                    }
                    case "end" -> {
                        JsonNode count = line.path("assets");
                        if (!count.isIntegralNumber() || count.asLong() != checked.assets) {
                            throw new BadLine("assets", "the end line counts " + count + " assets, the file has "
                                    + checked.assets);
                        }
                        checked.ended = true;
                    }
                    default -> throw new BadLine("type", "unknown line type " + ImportedValues.brief(line.path("type")));
                }
            });
            if (checked.header == null) {
                throw new MaintenanceException(file + " is empty; give a file written by 'asset-index export'");
            }
            if (!checked.ended) {
                throw new MaintenanceException(file + " has no end line: it was cut short; export again");
            }
            checked.batches.add(batches.close());
            return checked;
        } catch (ReadFailure e) {
            checked.close();
            throw new MaintenanceException(file + (e.number == 0 ? "" : " line " + e.number) + ": " + e.getMessage()
                    + "; nothing was imported", e.getCause());
        } catch (RuntimeException e) {
            checked.close();
            throw e;
        }
    }

    /** The second pass: merges a checked file into {@code database}. */
    public Report merge(Checked checked, IndexDatabase database, Listener listener) {
        long start = System.nanoTime();
        listener.started(checked.assets);
        IndexTransfer transfer = new IndexTransfer(database);
        VectorPlan plan = vectorPlan(checked, transfer.activeModel());
        // First, so that every result merged is explained; a snapshot without results is harmless.
        long snapshots = transfer.mergeSettings(checked.header.settings());
        Tally tally = new Tally();
        Batches batches = new Batches();
        List<ImportedLine.Asset> batch = new ArrayList<>();
        boolean[] header = {false};
        Runnable commit = () -> {
            if (tally.batches >= checked.batches.size() || checked.batches.get(tally.batches) != batches.close()) {
                throw changed(checked.file, tally.assets, null);
            }
            tally.batches++;
            if (!batch.isEmpty()) {
                try {
                    tally.add(transfer.merge(incoming(batch, plan.model(), tally), clock.instant()));
                } catch (StoreException e) {
                    // Each batch is one transaction: the index holds the batches before this one, whole.
                    throw new MaintenanceException(e.getMessage() + "; " + merged(tally.assets) + "; fix the cause and"
                            + " import it again (what is merged already merges again as it is)", e);
                }
                batch.clear();
                listener.merged(tally.assets);
            }
        };
        try {
            read(checked, batches, (lines, line) -> {
                if (!header[0]) {
                    header[0] = true; // read by the first pass; its bytes are in the first batch's checksum
                    return;
                }
                if (line.path("type").asText().equals("asset")) {
                    batch.add(ImportedLine.asset(line, checked.header, roots));
                    if (batches.full(lines.lineBytes())) {
                        commit.run();
                    }
                }
            });
        } catch (ReadFailure e) {
            if (e.getCause() != null) {
                throw new MaintenanceException("cannot read " + checked.file + " at line " + e.number + ": "
                        + e.getCause().getMessage() + "; " + merged(tally.assets) + "; import it again", e.getCause());
            }
            throw changed(checked.file, tally.assets, "line " + e.number + ": " + e.getMessage());
        }
        commit.run();
        if (tally.batches != checked.batches.size()) {
            throw changed(checked.file, tally.assets, null);
        }
        return new Report(tally.assets, tally.newAssets, tally.updated, tally.paths, tally.conflicts, tally.analyses,
                tally.vectors, tally.thumbnails, snapshots, plan.leftOut(), (System.nanoTime() - start) / 1e9);
    }

    private static MaintenanceException changed(Path file, long merged, String detail) {
        return new MaintenanceException(file + " changed while it was being imported"
                + (detail == null ? "" : " (" + detail + ")") + "; " + merged(merged)
                + "; import it again once nothing writes to it");
    }

    private static String merged(long assets) {
        return assets == 0 ? "nothing was imported" : "the first " + assets + " assets, as checked, were merged";
    }

    /**
     * Whether the export's vectors are stored, and if not why.
     *
     * @param model the model to store them under, or null when they are left out
     * @param leftOut why they are left out, or null
     */
    private record VectorPlan(ImportedLine.Model model, String leftOut) {}

    private VectorPlan vectorPlan(Checked checked, Optional<EmbeddingModel> active) {
        ImportedLine.Model model = checked.header.model();
        if (checked.vectors == 0) {
            return new VectorPlan(null, null);
        }
        if (model == null) {
            return new VectorPlan(null, "the export does not say which model made them; " + REEMBEDDED);
        }
        String hash = active.map(EmbeddingModel::configHash).orElse(configured.configHash());
        Integer dimension = active.isPresent() ? Integer.valueOf(active.get().dimension()) : configured.dimension();
        if (!model.configHash().equals(hash)) {
            return new VectorPlan(null, "made by " + model.name() + " (" + model.dimension() + " dims), not the model"
                    + " this index uses; " + REEMBEDDED);
        }
        if (dimension != null && dimension != model.dimension()) {
            return new VectorPlan(null, "made by " + model.name() + " with " + model.dimension() + " dimensions, but "
                    + model.name() + " makes " + dimension + "-dimension vectors in this index, so they count as"
                    + " another model's; " + REEMBEDDED);
        }
        return new VectorPlan(model, null);
    }

    /** The batch as the store takes it; writes its thumbnails under .asset_index/ first. */
    private List<IndexTransfer.Incoming> incoming(List<ImportedLine.Asset> batch, ImportedLine.Model model,
            Tally tally) {
        List<IndexTransfer.Incoming> incoming = new ArrayList<>(batch.size());
        for (ImportedLine.Asset line : batch) {
            storeThumbnail(line.thumbnail(), tally);
            IndexTransfer.TransferAsset asset = line.asset();
            List<PathRecord> paths = new ArrayList<>();
            for (IndexTransfer.TransferPath path : asset.paths()) {
                WatchRoot root = roots.get(path.sourceRoot());
                // The job id follows this workspace's jobs_roots, like every path it indexes itself.
                paths.add(new PathRecord(root.name(), path.relPath(), root.dir().resolve(path.relPath()).toString(),
                        root.jobIdFor(Path.of(path.relPath())), asset.id(), path.sizeBytes(), path.mtimeNs()));
            }
            VectorRecord vector = model == null || line.vector() == null ? null
                    : new VectorRecord(model.configHash(), model.name(), model.identityJson(), line.vector());
            // An embed result says "this asset has its vector": without the vector, the next pass must embed it.
            List<IndexTransfer.TransferAnalysis> analyses = asset.analyses().stream()
                    .filter(a -> !a.analyzer().equals(EmbedAnalyzer.NAME)
                            || vector != null && a.configHash().equals(vector.configHash()))
                    .toList();
            incoming.add(new IndexTransfer.Incoming(new IndexTransfer.TransferAsset(asset.columns(), asset.paths(),
                    analyses, null), paths, vector));
        }
        return incoming;
    }

    private void storeThumbnail(ImportedLine.Thumbnail thumbnail, Tally tally) {
        if (thumbnail == null) {
            return;
        }
        Path target = dataDir.resolve(thumbnail.path());
        try {
            if (!Files.isRegularFile(target)) {
                Files.createDirectories(target.getParent());
                SafeFiles.write(target, thumbnail.jpeg(), "import");
                tally.thumbnails++;
            }
        } catch (IOException e) {
            throw new MaintenanceException("cannot write the thumbnail " + target + ": " + e.getMessage() + "; "
                    + tally.assets + " assets were merged; free some room or fix the permissions, then import again",
                    e);
        }
    }

    /** Where a batch ends, the same in both passes: after BATCH asset lines or BATCH_BYTES of lines. */
    private static final class Batches {
        final CRC32C checksum = new CRC32C();
        private int assets;
        private long bytes;

        /** Counts an asset line of {@code lineBytes}; whether it fills the batch. */
        boolean full(int lineBytes) {
            assets++;
            bytes += lineBytes;
            return assets >= BATCH || bytes >= BATCH_BYTES;
        }

        /** The checksum of every line since the last batch ended, and a new batch. */
        long close() {
            long value = checksum.getValue();
            checksum.reset();
            assets = 0;
            bytes = 0;
            return value;
        }
    }

    @FunctionalInterface
    private interface LineHandler {
        void accept(JsonLines lines, JsonNode line);
    }

    /** A line that could not be used, or read: its number and the problem (with the IOException, if that was it). */
    private static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long number;

        ReadFailure(long number, String problem, IOException cause) {
            super(problem, cause);
            this.number = number;
        }
    }

    /** Reads the checked file from its start, every line, to the end. */
    private static void read(Checked checked, Batches batches, LineHandler handler) {
        InputStream in;
        try {
            in = open(checked.channel);
        } catch (IOException e) {
            throw new ReadFailure(0, "cannot read it (" + e.getMessage() + ")", e);
        }
        JsonLines lines = new JsonLines(in, MAX_LINE_BYTES, batches.checksum);
        try (in) {
            JsonNode line;
            while ((line = lines.next()) != null) {
                if (!line.isObject()) {
                    throw new BadLine(null, "not a JSON object");
                }
                handler.accept(lines, line);
            }
        } catch (BadLine e) {
            throw new ReadFailure(lines.number(), e.getMessage(), null);
        } catch (IOException e) {
            throw new ReadFailure(lines.number(), "cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static FileChannel openChannel(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new MaintenanceException("cannot read " + file + ": " + e.getMessage()
                    + "; give a file written by 'asset-index export'", e);
        }
    }

    /** The file from its start, gunzipped when it starts with gzip's magic bytes; closing it leaves the file open. */
    private static InputStream open(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        channel.position(0);
        while (magic.hasRemaining() && channel.read(magic) >= 0) {
            // a short read: read again
        }
        channel.position(0);
        InputStream in = new FilterInputStream(Channels.newInputStream(channel)) {
            @Override
            public void close() {
                // the channel serves both passes; Checked closes it
            }
        };
        boolean gzip = magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Counts of one import. */
    private static final class Tally {
        int batches;
        long assets;
        long newAssets;
        long updated;
        long paths;
        long conflicts;
        long analyses;
        long vectors;
        long thumbnails;

        void add(List<IndexTransfer.Merged> merged) {
            for (IndexTransfer.Merged one : merged) {
                assets++;
                newAssets += one.newAsset() ? 1 : 0;
                updated += one.factsReplaced() ? 1 : 0;
                paths += one.pathsAdded();
                conflicts += one.pathConflicts();
                analyses += one.analysesWritten();
                vectors += one.vectorWritten() ? 1 : 0;
            }
        }
    }
}

package io.assetindex.bench;

import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTallies;
import io.assetindex.store.SearchWords;
import io.assetindex.store.Vectors;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A workspace holding an index of N synthetic assets ({@link SyntheticCatalog}) and their files on
 * disk, made once in a folder and used again by later runs.
 *
 * <p>How it is made fast: three real files are scanned by the jar first (so the schema, the
 * analyzers' config hashes, the embedding model and the config snapshots are the program's own);
 * then one connection writes every row in one transaction, in asset id order, with the triggers
 * and secondary indexes dropped meanwhile (indexes are built once at the end, the keyword index
 * is filled with migration 7's statement, the triggers come back unchanged and index_tallies is
 * counted again). Each asset has its assets row (with raw_json as the analyzers write it), its
 * paths, four analysis_cache results (probe, integrity, thumbnail, embed), a process_log row per
 * path and its vector. A second thread makes the files meanwhile: sparse files of the recorded
 * size and mtime (no disk blocks), so a scan finds them unchanged; every thumbnail recorded is a
 * hard link to one of a few real JPEGs.
 *
 * <p>The folder holds {@code workspace/} and {@code dataset.properties}, written last: a folder
 * without it (a run that was stopped) is made again from scratch.
 */
final class MillionDataSet {
    private static final String FORMAT = "4";
    private static final int THUMBNAIL_SOURCES = 64;

    private final Path folder;
    private final SyntheticCatalog catalog;

    MillionDataSet(Path folder, int count) {
        this.folder = folder.toAbsolutePath();
        this.catalog = new SyntheticCatalog(count);
    }

    Path workspace() {
        return folder.resolve("workspace");
    }

    Path database() {
        return workspace().resolve(".asset_index/index.db");
    }

    SyntheticCatalog catalog() {
        return catalog;
    }

    /** Makes the data set unless the folder holds a complete one of this size. */
    MillionDataSet ensure(Path launcher) throws Exception {
        Path marker = folder.resolve("dataset.properties");
        String expected = "format=" + FORMAT + "\nassets=" + catalog.count() + "\n";
        if (Files.exists(marker) && Files.readString(marker).equals(expected)) {
            System.out.printf("data set: %,d assets in %s (made before)%n", catalog.count(), folder);
            mergeKeywordIndex();
            return this;
        }
        LauncherWatcher.deleteTree(workspace());
        Files.createDirectories(workspace());
        long start = System.nanoTime();
        seed(launcher);
        Map<String, String> hashes = configHashes();
        String host = seedHost();
        Thread files = new Thread(this::makeFiles, "files");
        long filesStart = System.nanoTime();
        files.start();
        fill(hashes, host);
        System.out.printf("  rows written in %.0f s%n", (System.nanoTime() - start) / 1e9);
        files.join();
        mergeKeywordIndex();
        System.out.printf("  files made in %.0f s (in parallel with the rows)%n", (System.nanoTime() - filesStart) / 1e9);
        Files.writeString(marker, expected);
        System.out.printf("data set: %,d assets made in %.0f s in %s (index.db %,d MiB)%n", catalog.count(),
                (System.nanoTime() - start) / 1e9, folder, Files.size(database()) >> 20);
        return this;
    }

    /**
     * Merges the keyword index's segments into one, as a watcher does once it is idle
     * ({@code KeywordIndexMerging}, through the same {@link IndexStore#mergeKeywordIndex}); at a
     * million, ~15 s. Done here so that no run measures the searches of a watcher that is still
     * merging (an index merged before is left as it is).
     */
    private void mergeKeywordIndex() {
        long start = System.nanoTime();
        int steps = 0;
        try (IndexStore store = IndexStore.open(database(), 2, Clock.systemUTC())) {
            while (store.mergeKeywordIndex(2_000)) {
                steps++;
            }
        }
        if (steps > 0) {
            System.out.printf("  keyword index merged into one segment in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** The workspace's config: the defaults, a pool and a jobs root, the API on a free port, no re-verification. */
    static String config() {
        // Re-verification reads every file within every_days: the files are sparse stand-ins, nothing to read.
        return "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\nserver:\n  port: 0\nverify:\n  every_days: 0\n";
    }

    private void seed(Path launcher) throws Exception {
        Path workspace = workspace();
        Files.writeString(workspace.resolve("asset-index.yaml"), config());
        Files.createDirectories(workspace.resolve("jobs"));
        for (String name : List.of("exif.jpg", "clip.mp4", "tone.mp3")) {
            TestMedia.fixture(name, workspace.resolve("raw_assets/_seed/" + name));
        }
        Measure.Run scan = Measure.run(workspace, List.of(launcher.toString(), "scan"));
        if (scan.exitCode() != 0) {
            throw new IllegalStateException("the seed scan failed");
        }
    }

    /** The config hash of each analyzer's results in the seed index (embed, integrity, probe, thumbnail). */
    private Map<String, String> configHashes() throws SQLException {
        Map<String, String> hashes = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SELECT DISTINCT analyzer, config_hash FROM analysis_cache")) {
            while (rs.next()) {
                hashes.put(rs.getString(1), rs.getString(2));
            }
        }
        return hashes;
    }

    /** The host name the seed scan recorded its paths under: the watcher reads only its own host's paths. */
    private String seedHost() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SELECT DISTINCT host FROM asset_paths")) {
            if (!rs.next()) {
                throw new IllegalStateException("the seed scan recorded no path");
            }
            return rs.getString(1);
        }
    }

    // The rows

    private void fill(Map<String, String> hashes, String host) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database())) {
            SearchWords.register(c);
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA journal_mode = DELETE");
                statement.execute("PRAGMA synchronous = OFF");
                statement.execute("PRAGMA cache_size = -2000000");
                statement.execute("PRAGMA foreign_keys = OFF");
            }
            List<String> triggers = schemaObjects(c, "trigger", false);
            List<String> indexes = schemaObjects(c, "index", false);
            execute(c, schemaObjects(c, "trigger", true));
            execute(c, schemaObjects(c, "index", true));
            c.setAutoCommit(false);
            try (RowWriter rows = new RowWriter(c, hashes, host)) {
                int[] order = idOrder();
                for (int i = 0; i < order.length; i++) {
                    rows.write(catalog.asset(order[i]), catalog.vector(order[i]));
                    if (i % 100_000 == 99_999) {
                        System.out.printf("  %,d assets written%n", i + 1);
                    }
                }
            }
            c.commit();
            long start = System.nanoTime();
            execute(c, indexes);
            c.commit();
            System.out.printf("  indexes built in %.0f s%n", (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            try (Statement statement = c.createStatement()) {
                statement.execute("DELETE FROM assets_fts");
                statement.execute("INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags,"
                        + " mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags,"
                        + " mood, scenes, transcript FROM assets_fts_source");
            }
            c.commit();
            System.out.printf("  keyword index filled in %.0f s%n", (System.nanoTime() - start) / 1e9);
            execute(c, triggers);
            IndexTallies.recount(c); // the counts the triggers keep, of the rows written without them
            c.commit();
            c.setAutoCommit(true);
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
            }
        }
    }

    /** Asset numbers in the order of their ids, so every table keyed by id is written in key order. */
    private int[] idOrder() {
        long[] keys = new long[catalog.count()];
        for (int n = 0; n < keys.length; n++) {
            keys[n] = Long.parseUnsignedLong(SyntheticCatalog.id(n).substring(0, 11), 16) << 20 | n;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) (keys[i] & 0xFFFFF);
        }
        return order;
    }

    /** The SQL that creates each schema object of a type ("trigger", "index"), or that drops it. */
    private static List<String> schemaObjects(Connection c, String type, boolean drop) throws SQLException {
        List<String> sql = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL")) {
            query.setString(1, type);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    sql.add(drop ? "DROP " + type.toUpperCase() + " \"" + rs.getString(1) + "\"" : rs.getString(2));
                }
            }
        }
        return sql;
    }

    private static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement statement = c.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Writes one asset's rows with statements prepared once, in batches. */
    private final class RowWriter implements AutoCloseable {
        private static final int BATCH = 2_000;
        private final Map<String, String> hashes;
        private final String host;
        private final PreparedStatement asset;
        private final PreparedStatement path;
        private final PreparedStatement analysis;
        private final PreparedStatement log;
        private final PreparedStatement vector;
        private final String model;
        private int pending;

        RowWriter(Connection c, Map<String, String> hashes, String host) throws SQLException {
            this.hashes = hashes;
            this.host = host;
            this.model = "all-minilm-l6-v2-q";
            asset = c.prepareStatement("INSERT INTO assets (id, file_name, file_path, source_root, job_id, media_type,"
                    + " size_bytes, mtime, width, height, duration_seconds, fps, has_audio, style, summary, tags_json,"
                    + " mood_json, raw_json, embed_source, embed_model, indexed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            path = c.prepareStatement("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id,"
                    + " size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at, verified_at, host)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            analysis = c.prepareStatement("INSERT INTO analysis_cache (asset_id, analyzer, config_hash, result_json,"
                    + " duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?)");
            log = c.prepareStatement("INSERT INTO process_log (file_path, content_hash, status, stage, error, detail,"
                    + " duration_ms, ran_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)");
            vector = c.prepareStatement("INSERT INTO assets_vec (id, embedding) VALUES (?, ?)");
        }

        void write(SyntheticCatalog.Asset a, float[] embedding) throws SQLException {
            String probe = probe(a);
            String integrity = "{\"tool\":\"" + (a.mediaType().equals("image") ? "ImageIO" : "ffprobe")
                    + "\",\"mode\":\"" + (a.mediaType().equals("image") ? "decode" : "demux") + "\",\"check_ms\":"
                    + (5 + a.number() % 40) + ",\"media_type\":\"" + a.mediaType() + "\",\"extension\":\""
                    + a.extension().toLowerCase() + "\",\"said\":{\"errors\":[],\"warnings\":[]},\"corrupt\":false,"
                    + "\"warning\":false,\"details\":null,\"ignored\":[],\"rules\":null}";
            String thumbnail = a.mediaType().equals("audio") ? null : thumbnail(a);
            String embedSource = a.embedSource();
            String embed = "{\"embed_source\":" + io.assetindex.util.Json.write(embedSource) + ",\"embed_model\":\""
                    + model + "\",\"dimension\":384}";
            String raw = "{\"probe\":" + probe + ",\"integrity\":" + integrity
                    + (thumbnail == null ? "" : ",\"thumbnail\":" + thumbnail) + ",\"embed\":" + embed + "}";
            String abs = workspace().resolve(a.sourceRoot()).resolve(a.relPath()).toString();
            int i = 1;
            asset.setString(i++, a.id());
            asset.setString(i++, a.fileName());
            asset.setString(i++, abs);
            asset.setString(i++, a.sourceRoot());
            asset.setString(i++, a.jobId());
            asset.setString(i++, a.mediaType());
            asset.setLong(i++, a.sizeBytes());
            asset.setDouble(i++, a.mtimeNs() / 1e9);
            setNumber(asset, i++, a.width());
            setNumber(asset, i++, a.height());
            setNumber(asset, i++, a.durationSeconds());
            setNumber(asset, i++, a.fps());
            setNumber(asset, i++, a.hasAudio());
            asset.setString(i++, a.style());
            asset.setString(i++, a.summary());
            asset.setString(i++, a.tagsJson());
            asset.setString(i++, a.moodJson());
            asset.setString(i++, raw);
            asset.setString(i++, embedSource);
            asset.setString(i++, model);
            asset.setString(i, a.indexedAt());
            asset.addBatch();
            path(a, a.sourceRoot(), a.relPath(), a.deleted());
            if (a.copyRelPath() != null) {
                path(a, a.sourceRoot(), a.copyRelPath(), false);
            }
            analysis(a, "embed", embed);
            analysis(a, "integrity", integrity);
            analysis(a, "probe", probe);
            if (thumbnail != null) {
                analysis(a, "thumbnail", thumbnail);
            }
            vector.setString(1, a.id());
            vector.setBytes(2, Vectors.pack(embedding));
            vector.addBatch();
            if (++pending == BATCH) {
                flush();
            }
        }

        private void path(SyntheticCatalog.Asset a, String root, String rel, boolean deleted) throws SQLException {
            path.setString(1, a.id());
            path.setString(2, root);
            path.setString(3, rel);
            path.setString(4, workspace().resolve(root).resolve(rel).toString());
            path.setString(5, a.jobId());
            path.setLong(6, a.sizeBytes());
            path.setLong(7, a.mtimeNs());
            path.setString(8, a.indexedAt());
            path.setString(9, a.indexedAt());
            path.setString(10, deleted ? Instant.parse(a.indexedAt()).plusSeconds(86_400).toString() : null);
            path.setString(11, null);
            path.setString(12, host);
            path.addBatch();
            log.setString(1, root + "/" + rel);
            log.setString(2, a.id());
            log.setString(3, "ok");
            log.setString(4, rel.equals(a.relPath()) ? "new content" : "new path for known content");
            log.setLong(5, rel.equals(a.relPath()) ? 40 + a.number() % 300 : 1);
            log.setString(6, a.indexedAt());
            log.addBatch();
        }

        private void analysis(SyntheticCatalog.Asset a, String analyzer, String json) throws SQLException {
            analysis.setString(1, a.id());
            analysis.setString(2, analyzer);
            analysis.setString(3, hashes.get(analyzer));
            analysis.setString(4, json);
            analysis.setLong(5, 5 + a.number() % 90);
            analysis.setString(6, a.indexedAt());
            analysis.addBatch();
        }

        private void flush() throws SQLException {
            for (PreparedStatement statement : List.of(asset, path, analysis, log, vector)) {
                statement.executeBatch();
            }
            pending = 0;
        }

        @Override
        public void close() throws SQLException {
            flush();
            for (PreparedStatement statement : List.of(asset, path, analysis, log, vector)) {
                statement.close();
            }
        }
    }

    private static void setNumber(PreparedStatement statement, int index, Number value) throws SQLException {
        if (value == null) {
            statement.setNull(index, java.sql.Types.NULL);
        } else if (value instanceof Integer whole) {
            statement.setInt(index, whole);
        } else {
            statement.setDouble(index, value.doubleValue());
        }
    }

    private static String probe(SyntheticCatalog.Asset a) {
        if (a.mediaType().equals("image")) {
            String[] camera = a.camera().split("\\|", -1);
            return "{\"format\":\"" + (a.extension().equals("JPG") ? "JPEG" : a.extension()) + "\",\"mime_type\":\"image/"
                    + a.extension().toLowerCase() + "\",\"width\":" + a.width() + ",\"height\":" + a.height()
                    + ",\"pixel_width\":" + a.width() + ",\"pixel_height\":" + a.height() + ",\"orientation\":1,"
                    + "\"camera_make\":\"" + camera[0] + "\",\"camera_model\":\"" + camera[1] + "\",\"lens\":"
                    + (camera[2].isEmpty() ? "null" : "\"" + camera[2] + "\"") + ",\"captured_at\":\"" + a.capturedAt()
                    + "\",\"gps\":null}";
        }
        if (a.mediaType().equals("video")) {
            return "{\"container\":\"mov,mp4,m4a,3gp,3g2,mj2\",\"duration_seconds\":" + a.durationSeconds()
                    + ",\"bit_rate\":" + (a.sizeBytes() * 8 / Math.max(1, a.durationSeconds().longValue()))
                    + ",\"width\":" + a.width() + ",\"height\":" + a.height() + ",\"fps\":" + a.fps()
                    + ",\"video_codec\":\"h264\",\"pixel_format\":\"yuv420p\",\"has_audio\":" + (a.hasAudio() == 1)
                    + ",\"audio_codec\":" + (a.hasAudio() == 1 ? "\"aac\"" : "null") + ",\"created_at\":\"" + a.capturedAt()
                    + "\",\"packets\":{\"read\":true,\"errors\":[],\"warnings\":[],\"read_ms\":" + (20 + a.number() % 200)
                    + "},\"ffprobe\":{\"streams\":[{\"index\":0,\"codec_name\":\"h264\",\"codec_type\":\"video\",\"width\":"
                    + a.width() + ",\"height\":" + a.height() + ",\"pix_fmt\":\"yuv420p\",\"r_frame_rate\":\"25/1\"}],"
                    + "\"format\":{\"format_name\":\"mov,mp4,m4a,3gp,3g2,mj2\",\"duration\":\"" + a.durationSeconds()
                    + "\",\"size\":\"" + a.sizeBytes() + "\",\"probe_score\":100}}}";
        }
        return "{\"container\":\"" + (a.extension().equals("mp3") ? "mp3" : "wav") + "\",\"duration_seconds\":"
                + a.durationSeconds() + ",\"bit_rate\":1536000,\"audio_codec\":\""
                + (a.extension().equals("mp3") ? "mp3" : "pcm_s24le") + "\",\"sample_rate\":48000,\"channels\":2,"
                + "\"has_audio\":true,\"tags\":{},\"packets\":{\"read\":true,\"errors\":[],\"warnings\":[],\"read_ms\":"
                + (5 + a.number() % 100) + "}}";
    }

    /** The thumbnail result: its file is named by a hash as the thumbnailer names them (here of the asset id). */
    private static String thumbnail(SyntheticCatalog.Asset a) {
        String name = thumbnailName(a);
        return "{\"path\":\"thumbs/" + name.substring(0, 2) + "/" + name + ".jpg\",\"sha256\":\"" + name
                + "\",\"bytes\":9000,\"thumb_width\":256,\"thumb_height\":" + (a.width() >= a.height() ? 171 : 384)
                + ",\"size\":256,\"quality\":85,\"source\":\"" + (a.mediaType().equals("image") ? "image" : "frame at 1.0 s")
                + "\"}";
    }

    private static String thumbnailName(SyntheticCatalog.Asset a) {
        return new StringBuilder(a.id()).reverse().toString();
    }

    // The files

    private void makeFiles() {
        try {
            Path thumbs = workspace().resolve(".asset_index/thumbs");
            Path sources = folder.resolve("thumbnail-sources");
            Files.createDirectories(sources);
            for (int s = 0; s < THUMBNAIL_SOURCES; s++) {
                TestMedia.jpeg(sources.resolve(s + ".jpg"), 256, 171, s);
            }
            Path lastFolder = null;
            for (int n = 0; n < catalog.count(); n++) {
                SyntheticCatalog.Asset a = catalog.asset(n);
                Path root = workspace().resolve(a.sourceRoot());
                if (!a.deleted()) {
                    lastFolder = sparseFile(root.resolve(a.relPath()), a, lastFolder);
                }
                if (a.copyRelPath() != null) {
                    sparseFile(root.resolve(a.copyRelPath()), a, null);
                }
                if (!a.mediaType().equals("audio")) {
                    String name = thumbnailName(a);
                    Path link = thumbs.resolve(name.substring(0, 2)).resolve(name + ".jpg");
                    Files.createDirectories(link.getParent());
                    Files.createLink(link, sources.resolve((n % THUMBNAIL_SOURCES) + ".jpg"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sparse file of the asset's size and mtime; returns its folder (made when it differs from {@code made}). */
    private static Path sparseFile(Path file, SyntheticCatalog.Asset a, Path made) throws IOException {
        Path parent = file.getParent();
        if (!parent.equals(made)) {
            Files.createDirectories(parent);
        }
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(a.sizeBytes());
        }
        Files.setLastModifiedTime(file, FileTime.from(a.mtimeNs(), TimeUnit.NANOSECONDS));
        return parent;
    }
}

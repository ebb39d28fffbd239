package io.assetindex.bench;

import io.assetindex.index.Sha256Hasher;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * kill -9 at random moments: the launcher's {@code watch} on a temp workspace is killed N times
 * (default 50) at a random moment 0.2 to 4 s after it started (its start-up scan, crash
 * recovery, loading the model, indexing, writing thumbnails ...) and started again, while a
 * writer keeps dropping new photos and sounds, copying files the index knows and moving files and
 * folders, also while the watcher is down. Then the writer stops, the watcher runs once more until
 * the index is in step, and is stopped with SIGTERM. Checked at the end:
 *
 * <ul>
 *   <li>{@code PRAGMA integrity_check} says ok;</li>
 *   <li>every media file on disk has exactly one live path in the index, recorded with the
 *       SHA-256 of its bytes, and no live path names a file that is not there;</li>
 *   <li>every asset has one vector, and every photo one thumbnail file;</li>
 *   <li>no temp file of asset-index's is left in .asset_index/, no file is marked in flight,
 *       and no file was taken for one that crashes the process.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -q -DskipTests package test-compile && java -cp
 * target/test-classes:target/asset-index.jar io.assetindex.bench.CrashTortureBenchmark [--kills 50]
 * [--seed 1]}. Linux only.
 */
public final class CrashTortureBenchmark {
    public static void main(String[] args) throws Exception {
        int kills = 50;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path workspace = Files.createTempDirectory("asset-index-crash-bench");
        Path raw = Files.createDirectories(workspace.resolve("raw_assets"));
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\n");
        Path log = workspace.resolve("watch.log");
        Random random = new Random(seed);
        System.out.printf("asset-index crash torture in %s (%d cores, Java %s): %d kills, seed %d%n", workspace,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), kills, seed);
        Writer writer = new Writer(raw, new Random(seed + 1));
        Thread writing = new Thread(writer, "writer");
        writing.start();
        long start = System.nanoTime();
        try {
            for (int kill = 1; kill <= kills; kill++) {
                LauncherWatcher watcher = LauncherWatcher.start(workspace, "", log);
                Thread.sleep(200 + random.nextInt(3800));
                watcher.kill();
                if (kill % 10 == 0) {
                    System.out.printf("  %d kills, %d files written so far%n", kill, writer.operations.get());
                }
            }
            writer.running.set(false);
            writing.join();
            try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "", log)) {
                watcher.awaitWatching(workspace, 600);
                Path database = workspace.resolve(".asset_index/index.db");
                LauncherWatcher.waitFor(() -> inStep(raw, database), 600, 1000);
                Thread.sleep(3_000); // background passes: thumbnails and vectors of what was left without
                System.out.printf("final watcher stopped with exit code %d after %.0f s in all%n", watcher.stop(),
                        (System.nanoTime() - start) / 1e9);
            }
            check(workspace, raw, writer.operations.get());
        } finally {
            writer.running.set(false);
            LauncherWatcher.deleteTree(workspace);
        }
    }

    /** Live paths in the index equal the media files on disk (by count). */
    private static boolean inStep(Path raw, Path database) throws IOException {
        return Files.exists(database) && mediaOnDisk(raw).size()
                == SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL");
    }

    private static void check(Path workspace, Path raw, long operations) throws IOException {
        Path database = workspace.resolve(".asset_index/index.db");
        List<String> problems = new ArrayList<>();
        Object integrity = SqliteFile.value(database, "PRAGMA integrity_check");
        if (!"ok".equals(integrity)) {
            problems.add("integrity_check: " + integrity);
        }
        Map<String, String> indexed = new HashMap<>();
        for (Map<String, Object> row : SqliteFile.rows(database,
                "SELECT rel_path, asset_id FROM asset_paths WHERE deleted_at IS NULL AND source_root = 'raw_assets'")) {
            indexed.put((String) row.get("rel_path"), (String) row.get("asset_id"));
        }
        List<Path> files = mediaOnDisk(raw);
        for (Path file : files) {
            String rel = raw.relativize(file).toString().replace('\\', '/');
            String hash = Sha256Hasher.hex(Files.readAllBytes(file));
            if (!hash.equals(indexed.remove(rel))) {
                problems.add("on disk, not indexed with its hash: " + rel);
            }
        }
        indexed.keySet().forEach(rel -> problems.add("indexed, not on disk: " + rel));
        long assets = SqliteFile.count(database, "SELECT count(*) FROM assets WHERE id IN"
                + " (SELECT asset_id FROM asset_paths WHERE deleted_at IS NULL)");
        long withVector = SqliteFile.count(database, "SELECT count(*) FROM assets a WHERE EXISTS"
                + " (SELECT 1 FROM assets_vec v WHERE v.id = a.id) AND id IN (SELECT asset_id FROM asset_paths"
                + " WHERE deleted_at IS NULL)");
        if (withVector != assets) {
            problems.add((assets - withVector) + " of " + assets + " live assets without a vector");
        }
        long missingThumbnails = 0;
        for (Map<String, Object> row : SqliteFile.rows(database, "SELECT a.id, (SELECT json_extract(result_json, '$.path')"
                + " FROM analysis_cache c WHERE c.asset_id = a.id AND c.analyzer = 'thumbnail') AS path FROM assets a"
                + " WHERE a.media_type = 'image' AND a.id IN (SELECT asset_id FROM asset_paths WHERE deleted_at IS NULL)")) {
            Object path = row.get("path");
            if (path == null || !Files.isRegularFile(workspace.resolve(".asset_index").resolve((String) path))) {
                missingThumbnails++;
            }
        }
        if (missingThumbnails > 0) {
            problems.add(missingThumbnails + " photos without a thumbnail file");
        }
        try (Stream<Path> all = Files.walk(workspace.resolve(".asset_index"))) {
            all.filter(path -> SafeFiles.isTempName(path.getFileName().toString()))
                    .forEach(path -> problems.add("temp file left: " + path));
        }
        long inFlight = SqliteFile.count(database, "SELECT count(*) FROM files_in_flight");
        long crashFailures = SqliteFile.count(database, "SELECT count(*) FROM failed_files WHERE stage = 'crash'");
        if (inFlight + crashFailures > 0) {
            problems.add(inFlight + " files still marked in flight, " + crashFailures + " taken for crashing the process");
        }
        System.out.printf("%d writer operations; %d media files on disk, %d live assets (%d with a vector), integrity %s%n",
                operations, files.size(), assets, withVector, integrity);
        problems.stream().limit(20).forEach(problem -> System.out.println("  " + problem));
        System.out.println(problems.isEmpty() ? "every file recorded once with its hash, one vector and thumbnail"
                + " per asset, no temp files: PASS" : problems.size() + " problems: FAIL");
    }

    private static List<Path> mediaOnDisk(Path raw) throws IOException {
        try (Stream<Path> all = Files.walk(raw)) {
            return all.filter(Files::isRegularFile).filter(path -> {
                String name = path.getFileName().toString();
                return !name.startsWith(".") && (name.endsWith(".jpg") || name.endsWith(".wav"));
            }).toList();
        }
    }

    /**
     * Keeps changing the tree as people do: new photos and sounds written in place, copies of
     * files already there, files moved to other folders, folders renamed.
     */
    private static final class Writer implements Runnable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong operations = new AtomicLong();
        private final Path raw;
        private final Random random;

        Writer(Path raw, Random random) {
            this.raw = raw;
            this.random = random;
        }

        @Override
        public void run() {
            int next = 0;
            while (running.get()) {
                try {
                    Path folder = Files.createDirectories(raw.resolve("shoot-" + random.nextInt(8)));
                    switch (random.nextInt(6)) {
                        case 0, 1 -> TestMedia.jpeg(folder.resolve("photo-" + next++ + ".jpg"), 64 + random.nextInt(600),
                                48 + random.nextInt(400), random.nextLong());
                        case 2 -> TestMedia.wav(folder.resolve("take-" + next++ + ".wav"), 0.05, random.nextLong());
                        case 3 -> {
                            String copyName = "copy-" + next++ + "-";
                            some(random).ifPresent(file -> copy(file, folder.resolve(copyName + file.getFileName())));
                        }
                        case 4 -> some(random).ifPresent(file -> move(file, folder.resolve(file.getFileName())));
                        default -> {
                            Path from = raw.resolve("shoot-" + random.nextInt(8));
                            Path to = raw.resolve("shoot-" + (8 + random.nextInt(4)));
                            if (Files.isDirectory(from) && !Files.exists(to)) {
                                Files.move(from, to);
                                Files.move(to, raw.resolve("shoot-" + random.nextInt(8) + "-" + next++));
                            }
                        }
                    }
                    operations.incrementAndGet();
                    Thread.sleep(random.nextInt(40));
                } catch (IOException | RuntimeException e) {
                    // a move raced with another: go on
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private java.util.Optional<Path> some(Random random) throws IOException {
            List<Path> files = mediaOnDisk(raw);
            return files.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(files.get(random.nextInt(files.size())));
        }

        private static void copy(Path from, Path to) {
            try {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // gone meanwhile
            }
        }

        private static void move(Path from, Path to) {
            try {
                if (!from.equals(to)) {
                    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
    }
}

package io.assetindex.bench;

import io.assetindex.config.VerifySettings;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.maintain.Reverifier;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scheduled re-verification benchmark (issue 15), in one run:
 *
 * <ol>
 *   <li>read rate: the watcher's pass ({@link Reverifier}, unthrottled, in this JVM, recording each
 *       file in a real index) over {@code --files} files of {@code --mib} MiB against
 *       {@code openssl dgst -sha256} over the same files (warm page cache; medians of 5,
 *       alternating), target at least 0.9×;</li>
 *   <li>drop-to-indexed latency: the launcher's {@code watch} (debounce 1.5 s) with a pass running
 *       unthrottled the whole time (the benchmark makes the files due again as they are read), a
 *       small JPEG written and closed, then the index polled every 5 ms until its row is committed;
 *       {@code --samples} files one after another, with and without the pass; target: median and worst
 *       within debounce + 0.5 s.</li>
 * </ol>
 *
 * Run: {@code mvn -q -DskipTests package test-compile && mvn -q dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt && java -cp
 * target/test-classes:target/asset-index.jar:$(cat target/test-classpath.txt)
 * io.assetindex.bench.VerificationBenchmark [--files 16] [--mib 128] [--samples 20] [--dir DIR]}. Linux, openssl.
 */
public final class VerificationBenchmark {
    private static final int RUNS = 5;
    private static final double DEBOUNCE_SECONDS = 1.5;

    public static void main(String[] args) throws Exception {
        int files = 16;
        int mib = 128;
        int samples = 20;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--mib" -> mib = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path workspace = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("asset-index-verify-bench");
        System.out.printf("asset-index re-verification benchmark in %s (%d cores, Java %s)%n%n", workspace,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        try {
            List<Path> archive = archive(workspace, files, mib);
            readRate(workspace, archive, (long) files * mib);
            latency(workspace, samples);
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    /** Files of random bytes, recorded in a fresh index as assets first seen long ago (so all are due). */
    private static List<Path> archive(Path workspace, int files, int mib) throws Exception {
        Path folder = Files.createDirectories(workspace.resolve("raw_assets/archive"));
        Files.writeString(workspace.resolve("asset-index.yaml"), "verify: {every_days: 1, max_mb_per_second: 0}\n");
        IndexStore.open(workspace.resolve(".asset_index/index.db"), 1, Clock.systemUTC()).close();
        SplittableRandom random = new SplittableRandom(1);
        byte[] block = new byte[1 << 20];
        List<Path> written = new ArrayList<>();
        Sha256Hasher hasher = new Sha256Hasher();
        for (int i = 0; i < files; i++) {
            Path file = folder.resolve("take" + i + ".wav");
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int m = 0; m < mib; m++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            record(workspace, file, hasher.hash(file).sha256());
            written.add(file);
        }
        return written;
    }

    private static void record(Path workspace, Path file, String sha256) throws Exception {
        Path database = workspace.resolve(".asset_index/index.db");
        String rel = "archive/" + file.getFileName();
        SqliteFile.execute(database, "INSERT INTO assets (id, file_name, file_path, source_root, media_type,"
                + " size_bytes, mtime, indexed_at) VALUES (?, ?, ?, 'raw_assets', 'audio', ?, 0,"
                + " '2020-01-01T00:00:00.000Z')", sha256, file.getFileName().toString(), file.toString(), Files.size(file));
        SqliteFile.execute(database, "INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes,"
                + " mtime_ns, first_seen_at, last_seen_at, host) VALUES (?, 'raw_assets', ?, ?, ?, ?,"
                + " '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', ?)", sha256, rel, file.toString(),
                Files.size(file), Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS),
                io.assetindex.util.ProcessOwner.host());
    }

    private static void makeDueAgain(Path database) {
        SqliteFile.execute(database, "UPDATE asset_paths SET verified_at = '2020-01-01T00:00:00.000Z'"
                + " WHERE rel_path LIKE 'archive/%'");
    }

    private static void readRate(Path workspace, List<Path> archive, long mib) throws Exception {
        Path database = workspace.resolve(".asset_index/index.db");
        List<String> openssl = new ArrayList<>(List.of("openssl", "dgst", "-sha256"));
        archive.forEach(file -> openssl.add(file.toString()));
        Measure.run(workspace, openssl); // warms the page cache
        double[] ours = new double[RUNS];
        double[] theirs = new double[RUNS];
        long bitRot = 0;
        try (IndexStore store = IndexStore.open(database, 2, Clock.systemUTC())) {
            Reverifier reverifier = new Reverifier(store.verification(), new VerifySettings(1, 0), Reverifier.Gate.OPEN,
                    Clock.systemUTC());
            for (int run = 0; run < RUNS; run++) {
                makeDueAgain(database);
                long start = System.nanoTime();
                Reverifier.Pass pass = reverifier.run(new Quiet(), () -> false);
                ours[run] = (System.nanoTime() - start) / 1e9;
                bitRot += pass.bitRot();
                if (pass.files() != archive.size()) {
                    throw new IllegalStateException("the pass read " + pass.files() + " of " + archive.size());
                }
                theirs[run] = Measure.run(workspace, openssl).wallSeconds();
            }
        }
        double oursMibs = mib / Measure.median(ours);
        double opensslMibs = mib / Measure.median(theirs);
        double ratio = oursMibs / opensslMibs;
        System.out.printf("read rate, %d files, %d MiB: scheduled pass %.0f MiB/s (recording each file), openssl dgst"
                + " -sha256 %.0f MiB/s (medians of %d): ratio %.2f (target >= 0.90), %d bit rot (expected 0) %s%n",
                archive.size(), mib, oursMibs, opensslMibs, RUNS, ratio, bitRot, Measure.verdict(ratio >= 0.9 && bitRot == 0));
    }

    private static void latency(Path workspace, int samples) throws Exception {
        Path database = workspace.resolve(".asset_index/index.db");
        Path raw = workspace.resolve("raw_assets");
        try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "", workspace.resolve("watch.out"))) {
            watcher.awaitWatching(workspace, 120);
            Samples idle = samples(raw, database, samples, "idle", workspace);
            AtomicBoolean keepDue = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> {
                while (keepDue.get()) {
                    makeDueAgain(database);
                    sleep(300);
                }
            });
            makeDueAgain(database);
            // The watcher looks for due files after its start-up scan and then every 10 minutes: restart it so
            // its first pass starts now, and keep the files due so that the pass never ends.
            watcher.stop();
            try (LauncherWatcher busy = LauncherWatcher.start(workspace, "", workspace.resolve("watch.out"))) {
                busy.awaitWatching(workspace, 120);
                feeder.start();
                LauncherWatcher.waitFor(() -> verifying(workspace), 30, 20);
                Samples during = samples(raw, database, samples, "busy", workspace);
                keepDue.set(false);
                feeder.join();
                report("without a pass", idle.millis());
                report("with a pass reading unthrottled", during.millis());
                System.out.printf("  files dropped while state.json said \"verifying\": %d of %d%n", during.verifying(),
                        samples);
            }
        }
    }

    /** Latencies, and how many files were dropped while a pass was reading. */
    private record Samples(double[] millis, int verifying) {}

    private static boolean verifying(Path workspace) throws Exception {
        return Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile()).at("/verification/state")
                .asText().equals("verifying");
    }

    private static Samples samples(Path raw, Path database, int samples, String tag, Path workspace) throws Exception {
        double[] millis = new double[samples];
        int verifying = 0;
        Files.createDirectories(raw.resolve("latency"));
        for (int i = 0; i < samples; i++) {
            byte[] bytes = TestMedia.jpegBytes(320, 240, tag.hashCode() + i);
            String name = "latency/" + tag + i + ".jpg";
            if (verifying(workspace)) {
                verifying++;
            }
            Files.write(raw.resolve(name), bytes);
            long closedAt = System.nanoTime();
            LauncherWatcher.waitFor(() -> SqliteFile.count(database,
                    "SELECT count(*) FROM asset_paths WHERE rel_path = ? AND deleted_at IS NULL", name) == 1, 30, 5);
            millis[i] = (System.nanoTime() - closedAt) / 1e6;
            sleep(200);
        }
        return new Samples(millis, verifying);
    }

    private static void report(String label, double[] millis) {
        double median = Measure.median(millis);
        double worst = Arrays.stream(millis).max().orElse(0);
        double limit = (DEBOUNCE_SECONDS + 0.5) * 1000;
        System.out.printf("latency close -> committed row %s, %d JPEGs: median %.0f ms, worst %.0f ms (target: within"
                + " debounce + 0.5 s = %.0f ms) %s%n", label, millis.length, median, worst, limit,
                Measure.verdict(worst <= limit));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A pass's listener that says nothing. */
    private static final class Quiet implements Reverifier.Listener {
        @Override
        public void progress(Reverifier.Pass pass) {}

        @Override
        public void bitRot(String displayPath, String expectedHash, String foundHash) {}

        @Override
        public void changed(Path file) {}
    }
}

package io.assetindex.maintain;

import io.assetindex.config.AiSettings;
import io.assetindex.config.AppConfig;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import io.assetindex.embed.LocalEmbedder;
import io.assetindex.media.MediaTools;
import io.assetindex.media.Subprocess;
import io.assetindex.scan.LeftOutReport;
import io.assetindex.scan.MediaFilter;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherInfo;
import io.assetindex.store.BitRot;
import io.assetindex.store.CountedLeftOut;
import io.assetindex.store.DatabaseFiles;
import io.assetindex.store.IndexTarget;
import io.assetindex.store.PostgresInspection;
import io.assetindex.util.InotifyLimits;
import io.assetindex.util.SafeFiles;
import io.assetindex.util.Text;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code doctor}: checks what asset-index needs, each check giving a verdict and, unless it is
 * fine, one line of what to do. Made for broken setups: every check catches everything and
 * becomes a failed finding, and nothing here writes to the workspace (the write test creates
 * and removes one temp file in {@code .asset_index/}).
 */
public final class Doctor {
    static final long MIN_FREE_BYTES = 100L << 20;
    static final long LOW_FREE_BYTES = 1L << 30;

    /** How a check came out. */
    public enum Status {
        OK, WARN, FAIL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One check's verdict; {@code advice} is null when there is nothing to do. */
    public record Finding(String check, Status status, String finding, String advice) {
        static Finding ok(String check, String finding) {
            return new Finding(check, Status.OK, finding, null);
        }
    }

    private final Workspace workspace;
    private final AppConfig config;
    private final String configProblem;
    private final Function<String, String> environment;

    /**
     * @param config        the loaded configuration, or null when it could not be loaded
     * @param configProblem why it could not be loaded, or null
     */
    public Doctor(Workspace workspace, AppConfig config, String configProblem, Function<String, String> environment) {
        this.workspace = workspace;
        this.config = config;
        this.configProblem = configProblem;
        this.environment = environment;
    }

    public List<Finding> examine() {
        List<Finding> findings = new ArrayList<>();
        run(findings, "java", this::java);
        run(findings, "config", this::configuration);
        if (config != null) {
            Optional<Map<String, CountedLeftOut>> leftOut = leftOutCounts();
            for (WatchRoot root : config.watchRoots()) {
                run(findings, "watch path", () -> watchRoot(root));
                leftOut.ifPresent(counts -> run(findings, "left out", () -> leftOut(root, counts.get(root.name()))));
            }
        }
        run(findings, ".asset_index", this::dataFolder);
        run(findings, "database", this::database);
        if (config != null) {
            run(findings, "bit rot", this::bitRot);
        }
        run(findings, "disk", this::disk);
        if (config != null) {
            run(findings, "inotify", this::inotify);
            MediaTools tools = new MediaTools(config.media(), workspace.cacheDir());
            for (MediaTools.Tool tool : MediaTools.Tool.values()) {
                run(findings, tool.command(), () -> tool(tools, tool));
            }
            run(findings, "embedding", this::embedding);
            run(findings, "ai", this::ai);
        }
        run(findings, "watcher", this::watcher);
        return findings;
    }

    /** Whether any check failed. */
    public static boolean anyFailed(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.status() == Status.FAIL);
    }

    @FunctionalInterface
    private interface Check {
        Finding run() throws Exception;
    }

    private static void run(List<Finding> findings, String name, Check check) {
        try {
            findings.add(check.run());
        } catch (Exception | LinkageError e) {
            findings.add(new Finding(name, Status.FAIL, "the check itself failed: " + e,
                    "report this with the output of 'asset-index doctor --json'"));
        }
    }

    private Finding java() {
        Runtime.Version version = Runtime.version();
        String what = "Java " + version + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
        return version.feature() >= 17 ? Finding.ok("java", what)
                : new Finding("java", Status.FAIL, what, "install Java 17 or newer");
    }

    private Finding configuration() {
        if (configProblem != null) {
            return new Finding("config", Status.FAIL, configProblem, "fix the key it names; the other checks use no config");
        }
        return Finding.ok("config", "valid; watch paths " + config.watchRoots().stream().map(WatchRoot::name).toList());
    }

    private Finding watchRoot(WatchRoot root) {
        if (!Files.isDirectory(root.dir())) {
            return new Finding("watch path", Status.FAIL, root.name() + " is missing (" + root.dir() + ")",
                    "mount or create it, or fix watch_paths; its indexed files are kept meanwhile");
        }
        if (!Files.isReadable(root.dir()) || !Files.isExecutable(root.dir())) {
            return new Finding("watch path", Status.FAIL, root.name() + " cannot be read (" + root.dir() + ")",
                    "make it readable by the user running asset-index");
        }
        return Finding.ok("watch path", root.name() + (root.jobsRoot() ? " (jobs root)" : "") + " is there");
    }

    /**
     * What this machine's ({@code host_name}) last whole walk of each watch path left out, by name;
     * empty when there is no index or it cannot be read (the database check says why).
     */
    private Optional<Map<String, CountedLeftOut>> leftOutCounts() {
        try {
            List<CountedLeftOut> counted;
            if (postgres() != null) {
                counted = PostgresInspection.leftOut(postgres(), config.hostName());
            } else if (Files.isRegularFile(workspace.databaseFile())) {
                counted = DatabaseFiles.leftOut(workspace.databaseFile(), config.hostName());
            } else {
                return Optional.empty();
            }
            return Optional.of(counted.stream()
                    .collect(Collectors.toMap(CountedLeftOut::sourceRoot, c -> c)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The files of a watch path that its last whole walk left out because the config does not list
     * their extension: a warning with the config line when some are media, else only a count.
     *
     * @param counted null when no whole walk counted them yet
     */
    private Finding leftOut(WatchRoot root, CountedLeftOut counted) {
        if (counted == null) {
            return Finding.ok("left out", root.name() + ": not counted yet; the next scan of the whole watch path"
                    + " (or the watcher's start) counts the files whose extension is not listed");
        }
        LeftOutReport report = LeftOutReport.of(counted.leftOut(), config.mediaTypeByExtension());
        if (report.files() == 0) {
            return Finding.ok("left out", root.name() + ": no file left out for its extension by the last whole scan");
        }
        String what = root.name() + ": " + report.listing() + " not indexed at the last whole scan, extension not listed";
        return report.advice() == null ? Finding.ok("left out", what + "; none is a known media format")
                : new Finding("left out", Status.WARN, what, report.advice()
                        + ", then restart the watcher or run 'asset-index scan'");
    }

    private Finding dataFolder() {
        Path dataDir = workspace.dataDir();
        if (!Files.exists(dataDir)) {
            return Files.isWritable(workspace.root())
                    ? Finding.ok(".asset_index", "not created yet; the first scan or watch creates it")
                    : new Finding(".asset_index", Status.FAIL, "missing, and " + workspace.root() + " is not writable",
                            "create " + dataDir + " owned by the user running asset-index");
        }
        if (!Files.isDirectory(dataDir)) {
            return new Finding(".asset_index", Status.FAIL, dataDir + " is not a folder",
                    "move it away; the next run creates the folder");
        }
        String fix = "make it writable by the user running asset-index: chown -R USER " + dataDir + " && chmod -R u+rwX "
                + dataDir;
        try {
            Path probe = Files.createFile(SafeFiles.tempSibling(dataDir.resolve("doctor"), "probe"));
            Files.delete(probe);
        } catch (IOException e) {
            return new Finding(".asset_index", Status.FAIL, dataDir + " is not writable (" + e.getClass().getSimpleName()
                    + ")", fix);
        }
        Path index = workspace.databaseFile();
        if (Files.exists(index) && !Files.isWritable(index)) {
            return new Finding(".asset_index", Status.FAIL, index + " is read-only", fix);
        }
        return Finding.ok(".asset_index", dataDir + " is writable");
    }

    /**
     * The PostgreSQL database the config puts the index in, or null for the workspace's SQLite file
     * (or when the config could not be loaded).
     *
     * @throws io.assetindex.config.ConfigException when the variable holding its password is not set
     */
    private IndexTarget.Postgres postgres() {
        return config != null && IndexTarget.of(config, environment) instanceof IndexTarget.Postgres postgres
                ? postgres : null;
    }

    /** The PostgreSQL database answers and holds an index this program can use. */
    private Finding postgresDatabase(IndexTarget.Postgres target) {
        Optional<DatabaseFiles.Inspection> inspection = PostgresInspection.inspect(target);
        if (inspection.isEmpty()) {
            return new Finding("database", Status.WARN, target.describe() + " answers; no index in it yet",
                    "run 'asset-index scan' (or start the watcher)");
        }
        return Finding.ok("database", target.describe() + " answers, schema version "
                + inspection.get().schemaVersion() + ", " + inspection.get().assets() + " assets");
    }

    private Finding database() {
        if (postgres() != null) {
            return postgresDatabase(postgres());
        }
        Path index = workspace.databaseFile();
        if (!Files.exists(index)) {
            return new Finding("database", Status.WARN, "no index yet", "run 'asset-index scan' (or start the watcher)");
        }
        DatabaseFiles.Inspection inspection;
        try {
            inspection = DatabaseFiles.inspect(index, false);
        } catch (RuntimeException e) {
            return new Finding("database", Status.FAIL, e.getMessage(), "restore a backup ('asset-index restore FILE'),"
                    + " or move " + index.getFileName() + " away and run 'asset-index scan' to rebuild the index");
        }
        if (!inspection.intact()) {
            return new Finding("database", Status.FAIL, "quick_check: " + inspection.integrity(),
                    "restore a backup ('asset-index restore FILE'), or move it away and rebuild with 'asset-index scan'");
        }
        String what = "intact (quick_check), schema version " + inspection.schemaVersion() + ", " + inspection.assets()
                + " assets";
        return inspection.schemaVersion() < DatabaseFiles.latestSchemaVersion()
                ? new Finding("database", Status.WARN, what + "; this asset-index writes version "
                        + DatabaseFiles.latestSchemaVersion(), "nothing to do: the next run upgrades it (make a backup first)")
                : Finding.ok("database", what);
    }

    /**
     * What this machine's re-verification found: files whose bytes changed behind their size and
     * mtime (other hosts' findings are about their disks, and their doctor's).
     */
    private Finding bitRot() {
        Path index = workspace.databaseFile();
        List<BitRot> found = postgres() != null ? PostgresInspection.bitRot(postgres(), config.hostName(), 3)
                : Files.exists(index) ? DatabaseFiles.bitRot(index, config.hostName(), 3) : List.of();
        if (!found.isEmpty()) {
            return new Finding("bit rot", Status.FAIL, "files whose bytes changed while their size and mtime did not,"
                    + " e.g. " + String.join(", ", found.stream().map(rot -> Text.escapeControls(
                            WatchRoot.displayPath(rot.sourceRoot(), rot.relPath()))).toList())
                    + " ('asset-index integrity' lists them all)", "restore them from a backup, or index their new bytes"
                    + " with 'asset-index scan --rehash PATH'; check the disk (smartctl -a)");
        }
        return config.verify().enabled()
                ? Finding.ok("bit rot", "none found; the watcher re-reads every file every " + config.verify().everyDays()
                        + " days")
                : new Finding("bit rot", Status.WARN, "not looked for: verify.every_days is 0",
                        "set verify.every_days (e.g. 30) so the watcher re-reads every file and compares its SHA-256");
    }

    private Finding disk() throws IOException {
        Path existing = Files.exists(workspace.dataDir()) ? workspace.dataDir() : workspace.root();
        FileStore store = Files.getFileStore(existing);
        long free = store.getUsableSpace();
        String what = Text.bytes(free) + " free of " + Text.bytes(store.getTotalSpace()) + " where the index lives";
        if (free < MIN_FREE_BYTES) {
            return new Finding("disk", Status.FAIL, what, "free some space: the index cannot grow, writes will fail");
        }
        if (free < LOW_FREE_BYTES) {
            return new Finding("disk", Status.WARN, what, "free some space soon; 'asset-index prune' removes what the"
                    + " index no longer needs");
        }
        return Finding.ok("disk", what);
    }

    private Finding inotify() throws IOException {
        OptionalLong current = InotifyLimits.current(InotifyLimits.WATCHES);
        if (current.isEmpty()) {
            return Finding.ok("inotify", "no inotify limits here (not Linux); the OS watches folders its own way");
        }
        long limit = current.getAsLong();
        MediaFilter filter = new MediaFilter(config.mediaTypeByExtension(), config.ignoreGlobs());
        long folders = 0;
        for (WatchRoot root : config.watchRoots()) {
            if (Files.isDirectory(root.dir()) && !config.pollPaths().contains(root.name())) {
                folders += countFolders(root, filter, limit + 1);
            }
        }
        String what = folders + (folders == 1 ? " folder" : " folders") + " to watch, fs.inotify."
                + InotifyLimits.WATCHES + " = " + limit;
        String fix = InotifyLimits.advice(InotifyLimits.WATCHES);
        if (folders >= limit) {
            return new Finding("inotify", Status.FAIL, what + ": not enough, those watch paths would be polled", fix);
        }
        if (folders * 2 > limit) {
            return new Finding("inotify", Status.WARN, what + ": over half of it (other programs use watches too)", fix);
        }
        return Finding.ok("inotify", what);
    }

    /**
     * Folders of the watch path (itself included) that a watcher watches, counting up to
     * {@code max}: not hidden or ignored ones, nor {@code .asset_index/}, nor other watch paths
     * (counted as their own).
     */
    private long countFolders(WatchRoot root, MediaFilter filter, long max) throws IOException {
        Path dir = root.dir();
        long[] count = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                if (!folder.equals(dir) && (filter.skipsDirectory(dir.relativize(folder))
                        || folder.equals(workspace.dataDir())
                        || config.watchRoots().stream().anyMatch(other -> other.dir().equals(folder)))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return ++count[0] >= max ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return count[0];
    }

    /** Whether a media tool runs, and which one it is. */
    private Finding tool(MediaTools tools, MediaTools.Tool tool) throws InterruptedException {
        String name = tool.command();
        boolean configured = (tool == MediaTools.Tool.FFPROBE ? config.media().ffprobePath()
                : config.media().ffmpegPath()) != null;
        String fix = configured ? "fix media." + name + "_path, or set it to null to use the bundled one"
                : "set media." + name + "_path to a system " + name + " (e.g. /usr/bin/" + name + ")";
        try {
            Subprocess.Result result = tools.run(tool, List.of("-version"), Duration.ofSeconds(30));
            if (result.exitCode() != 0) {
                return new Finding(name, Status.FAIL, tools.describe(tool) + " -version failed: " + result.problem(), fix);
            }
            String first = result.stdoutText().lines().findFirst().orElse("").strip();
            return Finding.ok(name, first + ", " + tools.describe(tool));
        } catch (IOException e) {
            return new Finding(name, Status.FAIL, "cannot run: " + e.getMessage(), fix);
        }
    }

    private Finding embedding() {
        EmbeddingSettings settings = config.embedding();
        if (EmbeddingSettings.LOCAL.equals(settings.provider())) {
            try {
                int dimension = new LocalEmbedder(workspace.cacheDir()).embed(List.of("doctor")).get(0).length;
                return Finding.ok("embedding", "local model " + settings.model() + " loads (" + dimension + " dims)");
            } catch (Exception | LinkageError e) {
                return new Finding("embedding", Status.FAIL, "the local model does not load: " + e.getMessage(),
                        "check that ~/.cache (or .asset_index/cache) is writable and that this platform has ONNX Runtime;"
                                + " or set embedding.provider: openai");
            }
        }
        return remote("embedding", settings.model() + " at " + settings.baseUrl(), settings.apiKeyEnv());
    }

    /** A model behind an API: is the key's variable set (the API itself is not called). */
    private Finding remote(String check, String endpoint, String apiKeyEnv) {
        if (apiKeyEnv == null) {
            return Finding.ok(check, endpoint + ", no API key configured (not called by doctor)");
        }
        String key = environment.apply(apiKeyEnv);
        return key == null || key.isBlank()
                ? new Finding(check, Status.FAIL, endpoint + ": $" + apiKeyEnv + " is not set",
                        "set " + apiKeyEnv + " in the service's environment (systemd: Environment= or"
                                + " EnvironmentFile=)")
                : Finding.ok(check, endpoint + ", key in $" + apiKeyEnv + " (not called by doctor)");
    }

    private Finding ai() {
        AiSettings ai = config.ai();
        if (!ai.enabled()) {
            return Finding.ok("ai", "off (set ai.describe.model and/or ai.transcribe.model to describe and transcribe)");
        }
        List<Finding> models = new ArrayList<>();
        if (ai.describe() != null) {
            models.add(remote("ai", "describe: " + ai.describe().model() + " at " + ai.describe().baseUrl(),
                    ai.describe().apiKeyEnv()));
        }
        if (ai.transcribe() != null) {
            models.add(remote("ai", "transcribe: " + ai.transcribe().model() + " at " + ai.transcribe().baseUrl(),
                    ai.transcribe().apiKeyEnv()));
        }
        return models.stream().filter(f -> f.status() != Status.OK).findFirst()
                .orElse(Finding.ok("ai", String.join("; ", models.stream().map(Finding::finding).toList())));
    }

    private Finding watcher() {
        Optional<WatcherInfo> info = WatcherInfo.read(new StateFile(workspace.stateFile()));
        String start = "start it: 'systemctl start asset-index' (or 'asset-index watch')";
        if (info.isEmpty()) {
            return new Finding("watcher", Status.WARN, "never started here", start);
        }
        WatcherInfo watcher = info.get();
        String pid = watcher.identity() == null ? "unknown pid" : "pid " + watcher.identity().pid();
        if (watcher.running()) {
            return Finding.ok("watcher", "running, " + pid + ", " + watcher.phase());
        }
        if (watcher.stale()) {
            return new Finding("watcher", Status.WARN, "not running: it did not stop cleanly (" + pid + ", last state "
                    + watcher.phase() + ")", "see .asset_index/logs/watcher.err.log, then " + start);
        }
        return new Finding("watcher", Status.WARN, "not running (stopped cleanly)", start);
    }

}

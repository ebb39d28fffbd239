package io.assetindex.media;

import io.assetindex.config.MediaSettings;
import io.assetindex.util.CacheFolder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ffprobe and ffmpeg: the configured system ones, or the ones bundled in the jar (FFmpeg
 * built by JavaCPP), extracted on first use into a cache folder and reused after.
 *
 * <p>Every run is bounded: a time limit (see {@link Subprocess}), and on Linux an address-space
 * limit of {@link #ADDRESS_SPACE_BYTES}, so a file whose headers declare a gigantic picture
 * cannot make a tool take the machine's memory; a tool stopped by that limit is reported as
 * such ({@link #outOfMemory}), not as damage. The input file is always given as an absolute
 * path, and a name that ffmpeg would read as a pattern ({@code shot%d.webp} means
 * {@code shot1.webp} to its image demuxer) is reached through a link with a plain name.
 *
 * <p>The bundled tools are extracted without loading FFmpeg into this process, and run with
 * their own folder on the library path (some of their libraries only find each other that
 * way). Where they cannot start (a system library they need is missing), a system ffprobe or
 * ffmpeg on the PATH is used instead, and said once; with neither, the error names the missing
 * library and the package that has it.
 *
 * <p>The cache folder is {@code org.bytedeco.javacpp.cachedir} if set, else the user's cache
 * folder ({@code ~/.cache/asset-index} or {@code ~/Library/Caches/asset-index}) if it can be
 * written, else {@code .asset_index/cache} of the workspace, which is what a sandboxed service
 * (read-only home) gets. Extraction happens once per jar version (about 65 MB).
 */
public final class MediaTools {
    private static final Logger LOG = LoggerFactory.getLogger(MediaTools.class);
    private static final String CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";
    /** Address space a tool may use (Linux): room for 8K video with frame threads, far from a machine's worth. */
    static final long ADDRESS_SPACE_BYTES = 6L << 30;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("error while loading shared libraries: ([^:]+): cannot open");
    /** Debian/Ubuntu packages of the libraries the bundled FFmpeg links to that a server may lack. */
    private static final Map<String, String> PACKAGES = Map.of(
            "libpulse.so.0", "libpulse0",
            "libasound.so.2", "libasound2",
            "libxcb.so.1", "libxcb1",
            "libxcb-shm.so.0", "libxcb-shm0");

    /** ffprobe or ffmpeg. */
    public enum Tool {
        FFPROBE, FFMPEG;

        public String command() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A tool that runs: where it is, what it needs in its environment, and how to name it to people. */
    private record Executable(Path path, Map<String, String> environment, String origin) {}

    private final MediaSettings settings;
    private final Path fallbackCache;
    private final Map<Tool, Executable> resolved = new HashMap<>();
    private final DecodeBudget decodeBudget = DecodeBudget.forThisProcess();
    private Path linkFolder;

    /**
     * @param fallbackCache where to extract the bundled tools when the user's cache folder is not writable
     */
    public MediaTools(MediaSettings settings, Path fallbackCache) {
        this.settings = settings;
        this.fallbackCache = fallbackCache;
    }

    /**
     * A time limit for a tool reading a file of this size: 30 s, plus 10 s per GiB (a 50 GiB
     * video gets a bit over 8 minutes).
     */
    public static Duration limitFor(long sizeBytes) {
        return Duration.ofSeconds(30).plusMillis(sizeBytes / (100L << 20) * 1000);
    }

    /** The memory pictures decoded in this process may take together. */
    DecodeBudget decodeBudget() {
        return decodeBudget;
    }

    /** Runs ffprobe on {@code input} with {@code options}. */
    public Subprocess.Result ffprobe(Path input, List<String> options, Duration limit)
            throws IOException, InterruptedException {
        return runOn(Tool.FFPROBE, List.of("-hide_banner"), options, input, List.of(), limit);
    }

    /** Runs ffmpeg: {@code beforeInput} (seeking, decoder options), {@code -i input}, then {@code afterInput}. */
    public Subprocess.Result ffmpeg(List<String> beforeInput, Path input, List<String> afterInput, Duration limit)
            throws IOException, InterruptedException {
        return runOn(Tool.FFMPEG, List.of("-hide_banner", "-nostdin"), beforeInput, input, afterInput, limit);
    }

    /** Runs a tool with these arguments and no input file ({@code -version}, generated test media). */
    public Subprocess.Result run(Tool tool, List<String> args, Duration limit) throws IOException, InterruptedException {
        return execute(executable(tool), args, limit);
    }

    /** Where the tool is and what it is: "bundled", "system, from the PATH" or "media.ffprobe_path". */
    public String describe(Tool tool) throws IOException {
        Executable executable = executable(tool);
        return executable.path() + " (" + executable.origin() + ")";
    }

    /** Whether a failed run was stopped by the memory limit rather than by what it read. */
    public static boolean outOfMemory(Subprocess.Result result) {
        if (result.timedOut() || result.exitCode() == 0) {
            return false;
        }
        String stderr = result.stderr();
        return stderr.contains("Cannot allocate memory") || stderr.contains("std::bad_alloc")
                || stderr.contains("out of memory") || stderr.contains("Out of memory");
    }

    private Subprocess.Result runOn(Tool tool, List<String> common, List<String> beforeInput, Path input,
            List<String> afterInput, Duration limit) throws IOException, InterruptedException {
        Executable executable = executable(tool);
        Path absolute = input.toAbsolutePath();
        Path link = needsLink(absolute) ? link(absolute) : null;
        try {
            List<String> args = new ArrayList<>(common);
            args.addAll(beforeInput);
            args.add("-i");
            args.add((link != null ? link : absolute).toString());
            args.addAll(afterInput);
            return execute(executable, args, limit);
        } finally {
            if (link != null) {
                Files.deleteIfExists(link);
            }
        }
    }

    private static Subprocess.Result execute(Executable executable, List<String> args, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (LINUX) {
            // The shell sets the limit and becomes the tool (exec): the same process, now bounded.
            command.addAll(List.of("/bin/sh", "-c", "ulimit -v " + (ADDRESS_SPACE_BYTES >> 10) + "; exec \"$@\"", "sh"));
        }
        command.add(executable.path().toString());
        command.addAll(args);
        return Subprocess.run(command, executable.environment(), limit);
    }

    /** Names that ffmpeg's image demuxer would take for a pattern of numbered files ({@code %d}, {@code %03d}). */
    static boolean needsLink(Path absolute) {
        return absolute.getFileName() != null && absolute.getFileName().toString().contains("%");
    }

    private synchronized Path link(Path target) throws IOException {
        if (linkFolder == null || !Files.isDirectory(linkFolder)) {
            linkFolder = Files.createTempDirectory("asset-index-links");
            linkFolder.toFile().deleteOnExit();
        }
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.indexOf('%', dot) < 0 ? name.substring(dot) : "";
        return Files.createSymbolicLink(linkFolder.resolve(UUID.randomUUID() + extension), target);
    }

    private synchronized Executable executable(Tool tool) throws IOException {
        Executable executable = resolved.get(tool);
        if (executable == null) {
            Path configured = tool == Tool.FFPROBE ? settings.ffprobePath() : settings.ffmpegPath();
            executable = configured != null
                    ? new Executable(configured, Map.of(), "media." + tool.command() + "_path")
                    : bundledOrSystem(tool);
            resolved.put(tool, executable);
        }
        return executable;
    }

    private Executable bundledOrSystem(Tool tool) throws IOException {
        Executable bundled = bundled(tool);
        Optional<String> problem = startProblem(bundled);
        if (problem.isEmpty()) {
            return bundled;
        }
        Optional<Path> system = onPath(tool.command());
        if (system.isPresent()) {
            LOG.warn("[media] the bundled {} cannot run here ({}); using {} from the PATH instead", tool.command(),
                    problem.get(), system.get());
            return new Executable(system.get(), Map.of(), "system, from the PATH");
        }
        throw new IOException("the bundled " + tool.command() + " cannot run here: " + problem.get()
                + "; or install ffmpeg (which has ffprobe), or set media." + tool.command() + "_path");
    }

    /** Extracts the bundled tools and their libraries (not loading them into this process). */
    private Executable bundled(Tool tool) throws IOException {
        if (System.getProperty(CACHE_PROPERTY) == null) {
            System.setProperty(CACHE_PROPERTY, CacheFolder.choose(fallbackCache).toString());
        }
        String platform = Loader.getPlatform();
        File[] files;
        try {
            files = Loader.cacheResources(MediaTools.class, "/org/bytedeco/ffmpeg/" + platform + "/");
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot extract the bundled " + tool.command() + " for " + platform + " ("
                    + e.getMessage() + "); set media." + tool.command() + "_path to a system one", e);
        }
        if (files == null || files.length == 0) {
            throw new IOException("the jar has no bundled " + tool.command() + " for " + platform
                    + "; set media." + tool.command() + "_path to a system one");
        }
        // The folder itself when the jar is a file, its entries when the classes come from folders.
        Path folder = files[0].isDirectory() ? files[0].toPath() : files[0].toPath().getParent();
        Path path = folder.resolve(tool.command());
        if (!Files.isRegularFile(path)) {
            throw new IOException("the bundled " + tool.command() + " is missing from the jar (" + platform + ")");
        }
        if (!Files.isExecutable(path) && !path.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + path + " executable; set media." + tool.command() + "_path");
        }
        String libraryPath = folder.toString();
        return new Executable(path, Map.of("LD_LIBRARY_PATH", libraryPath, "DYLD_FALLBACK_LIBRARY_PATH", libraryPath,
                "MALLOC_ARENA_MAX", "2"), "bundled");
    }

    /** Why a tool does not start ({@code -version} fails), or empty when it runs. */
    private static Optional<String> startProblem(Executable executable) throws IOException {
        Subprocess.Result result;
        try {
            result = execute(executable, List.of("-version"), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + executable.path(), e);
        }
        if (result.exitCode() == 0 && !result.timedOut()) {
            return Optional.empty();
        }
        Matcher missing = MISSING_LIBRARY.matcher(result.stderr());
        if (missing.find()) {
            String library = missing.group(1);
            String debian = PACKAGES.get(library);
            return Optional.of("the system library " + library + " is missing"
                    + (debian == null ? "" : "; install it (Debian/Ubuntu: sudo apt install " + debian + ")"));
        }
        return Optional.of("'" + executable.path().getFileName() + " -version' failed: " + result.problem());
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

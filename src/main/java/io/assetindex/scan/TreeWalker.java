package io.assetindex.scan;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.store.LeftOut;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the media files below a watch root (or a folder in it).
 *
 * <p>Symbolic links inside a root are never followed, so a walk cannot leave its root or
 * loop; the root itself may be a link. Folders of other, nested watch roots are left to
 * those roots, and {@code .asset_index/} is never entered. A folder that cannot be read is
 * reported, not fatal, and its known files are not taken for deleted. Files left out only
 * because the config does not list their extension are counted, so a scan can say so.
 */
public final class TreeWalker {
    private static final Logger LOG = LoggerFactory.getLogger(TreeWalker.class);
    private static final Pattern DEVICE = Pattern.compile("dev=([0-9a-fA-F]+)");

    /**
     * Tells, as the walk finds each media file, whether the index holds it as it is (same size and
     * mtime). Such a file is only counted as found, by the index's own copy of its path, and not
     * listed with its facts: an unchanged tree of a million files then costs the walk a reference
     * per file, not a {@link FileCandidate}.
     */
    @FunctionalInterface
    public interface KnownFiles {
        /** The relative path as the index holds it when the file is unchanged, else null. */
        String unchanged(String relPath, long sizeBytes, long mtimeNs);

        /** Nothing is known: every file is listed. */
        KnownFiles NONE = (relPath, sizeBytes, mtimeNs) -> null;
    }

    /**
     * @param files           the media files found, with the size and mtime seen, except the unchanged ones
     * @param unchanged       the relative paths of the files found that the index holds as they are
     * @param unreadableDirs  folders that could not be listed, relative to the root, each ending in "/"
     * @param skippedLinks    symbolic links that were not followed
     * @param startDevice     the device the walked folder is on, or null where the OS does not say
     * @param rootParentDevice the device of the folder holding the watch path, or null
     * @param mountPoints     folders below the start that are on another device than their parent
     *                        (relative to the root, ending in "/"), with that device
     * @param leftOut         the files left out because the config does not list their extension
     */
    public record Result(List<FileCandidate> files, List<String> unchanged, List<String> unreadableDirs,
            int skippedLinks, String startDevice, String rootParentDevice, Map<String, String> mountPoints,
            LeftOut leftOut) {

        /** How many media files the walk found. */
        public int found() {
            return files.size() + unchanged.size();
        }
    }

    private final MediaFilter filter;
    private final Set<Path> neverEnter;

    /**
     * @param neverEnter folders never walked into: the workspace's data folder and every watch root
     *                   (a nested root is walked on its own)
     */
    public TreeWalker(MediaFilter filter, Set<Path> neverEnter) {
        this.filter = filter;
        this.neverEnter = Set.copyOf(neverEnter);
    }

    /**
     * Walks {@code start}, which is {@code root.dir()} or a folder or file below it.
     *
     * @throws NoSuchFileException when {@code start} does not exist
     */
    public Result walk(WatchRoot root, Path start) throws IOException {
        return walk(root, start, KnownFiles.NONE);
    }

    /**
     * Walks {@code start} as {@link #walk(WatchRoot, Path)} does, listing only the files that
     * {@code known} does not hold unchanged.
     */
    public Result walk(WatchRoot root, Path start, KnownFiles known) throws IOException {
        Path realRoot = root.dir().toRealPath();
        Path realStart = start.toRealPath();
        Visitor visitor = new Visitor(root, realRoot, realStart, known);
        Files.walkFileTree(realStart, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, visitor);
        return new Result(visitor.files, visitor.unchanged, visitor.unreadable, visitor.links, visitor.startDevice,
                realRoot.getParent() == null ? null : device(realRoot.getParent()), visitor.mountPoints,
                visitor.leftOut.result());
    }

    /** The device a file is on, from its file key (Linux and macOS: "(dev=803,ino=42)"), or null. */
    static String device(BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        if (key == null) {
            return null;
        }
        Matcher device = DEVICE.matcher(key.toString());
        return device.find() ? device.group(1) : null;
    }

    private static String device(Path path) {
        try {
            return device(Files.readAttributes(path, BasicFileAttributes.class));
        } catch (IOException e) {
            return null;
        }
    }

    /** The real paths of folders (links resolved); a folder that does not exist yet stays as given. */
    public static Set<Path> realPaths(Set<Path> folders) {
        Set<Path> real = new HashSet<>();
        for (Path folder : folders) {
            try {
                real.add(folder.toRealPath());
            } catch (IOException e) {
                real.add(folder.toAbsolutePath().normalize());
            }
        }
        return real;
    }

    private final class Visitor implements FileVisitor<Path> {
        private final WatchRoot root;
        private final Path realRoot;
        private final Path realStart;
        private final Set<Path> realNeverEnter = new HashSet<>();
        private final KnownFiles known;
        private final List<FileCandidate> files = new ArrayList<>();
        private final List<String> unchanged = new ArrayList<>();
        private final List<String> unreadable = new ArrayList<>();
        private final Map<String, String> mountPoints = new LinkedHashMap<>();
        private final LeftOutCounter leftOut = new LeftOutCounter();
        /** The devices of the folders being walked, innermost first. */
        private final Deque<String> devices = new ArrayDeque<>();
        private String startDevice;
        private int links;

        Visitor(WatchRoot root, Path realRoot, Path realStart, KnownFiles known) {
            this.root = root;
            this.known = known;
            this.realRoot = realRoot;
            this.realStart = realStart;
            this.realNeverEnter.addAll(realPaths(neverEnter));
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String device = Objects.requireNonNullElse(device(attrs), "");
            if (dir.equals(realStart)) {
                startDevice = device.isEmpty() ? null : device;
                devices.push(device);
                return FileVisitResult.CONTINUE;
            }
            if (realNeverEnter.contains(dir) || filter.skipsDirectory(realRoot.relativize(dir))) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (!device.isEmpty() && !device.equals(devices.peek())) {
                mountPoints.put(WatchRoot.portable(realRoot.relativize(dir)) + "/", device);
            }
            devices.push(device);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isSymbolicLink()) {
                links++;
                return FileVisitResult.CONTINUE;
            }
            if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
            }
            Path relative = realRoot.relativize(file);
            Optional<MediaType> type = filter.mediaTypeOf(relative);
            if (type.isPresent()) {
                String relPath = WatchRoot.portable(relative);
                long mtimeNs = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                String held = known.unchanged(relPath, attrs.size(), mtimeNs);
                if (held != null) {
                    unchanged.add(held);
                } else {
                    files.add(new FileCandidate(root, root.dir().resolve(relative), relPath, type.get(), attrs.size(),
                            mtimeNs));
                }
            } else {
                filter.unlistedExtension(relative).ifPresent(extension ->
                        leftOut.add(extension, root.displayPath(WatchRoot.portable(relative))));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // removed while we walked: not ours to report
            }
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                String relative = WatchRoot.portable(realRoot.relativize(file));
                unreadable.add(relative.isEmpty() ? "" : relative + "/");
                LOG.warn("[watcher] cannot read folder {}: {}; its files are left as they are in the index",
                        root.displayPath(relative), e instanceof AccessDeniedException
                        ? "permission denied" : e.getMessage());
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            devices.poll();
            if (e != null) {
                visitFileFailed(dir, e);
            }
            return FileVisitResult.CONTINUE;
        }
    }
}

package io.assetindex.watch;

import io.assetindex.config.WatchRoot;
import io.assetindex.scan.MediaFilter;
import io.assetindex.util.Threads;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native file-system events for one watch root, through directory-watcher (inotify on
 * Linux, FSEvents on macOS), with its file hashing off: the index hashes.
 *
 * <p>Only folders that can hold indexed files are registered: hidden and ignored folders,
 * {@code .asset_index/} and nested watch roots are not, which also keeps the number of
 * inotify watches down. Events are translated to paths below {@link WatchRoot#dir()} and
 * filtered like a scan filters files, then handed to the {@link Sink}. The event loop runs on
 * its own thread until {@link #close()} or until the root goes away.
 */
final class RootWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RootWatcher.class);

    /** Where events go. Called from the watcher's thread. */
    interface Sink {
        void fileChanged(WatchRoot root, Path file);

        void gone(WatchRoot root, Path path);

        /** The OS dropped events for this root: everything below it may have changed. */
        void overflow(WatchRoot root);

        /** Watching failed (for example, out of inotify watches); events may be missing. */
        void failed(WatchRoot root, IOException cause);

        /** The event loop ended on its own: the root went away (not called after {@link #close()}). */
        void ended(WatchRoot root);
    }

    /** Starts watching a root; the daemon's seam for tests, which inject failures and events. */
    @FunctionalInterface
    interface Starter {
        AutoCloseable start(WatchRoot root, MediaFilter filter, Set<Path> neverEnter, Sink sink) throws IOException;

        Starter NATIVE = RootWatcher::start;
    }

    private final WatchRoot root;
    private final Path realDir;
    private final MediaFilter filter;
    private final Set<Path> neverEnter;
    private final Sink sink;
    private final DirectoryWatcher watcher;
    private final ExecutorService loop;
    private volatile boolean closed;
    /** The thread of {@link #begin} while it registers the folders: its walks are of folders alone. */
    private volatile Thread registering;

    private RootWatcher(WatchRoot root, Path realDir, MediaFilter filter, Set<Path> neverEnter, Sink sink)
            throws IOException {
        this.root = root;
        this.realDir = realDir;
        this.filter = filter;
        this.neverEnter = Set.copyOf(neverEnter);
        this.sink = sink;
        DirectoryWatcher.Builder builder = DirectoryWatcher.builder()
                .path(realDir)
                .fileHashing(false)
                .fileTreeVisitor(new Visitor())
                .listener(new Listener())
                .logger(LOG);
        this.watcher = builder.build();
        this.loop = Executors.newSingleThreadExecutor(Threads.daemon("watch-" + root.name()));
    }

    /**
     * Registers every folder of the root (a walk) and starts delivering events.
     *
     * @param neverEnter real paths of folders not to watch (the data folder, nested roots)
     * @throws IOException when the root cannot be watched, e.g. out of inotify watches
     */
    static RootWatcher start(WatchRoot root, MediaFilter filter, Set<Path> neverEnter, Sink sink) throws IOException {
        RootWatcher watcher = new RootWatcher(root, root.dir().toRealPath(), filter, neverEnter, sink);
        watcher.begin();
        return watcher;
    }

    private void begin() throws IOException {
        registering = Thread.currentThread(); // watchAsync walks and registers here, then hands over to the loop
        CompletableFuture<Void> running;
        try {
            running = watcher.watchAsync(loop);
        } finally {
            registering = null;
        }
        if (running.isCompletedExceptionally()) {
            loop.shutdown();
            try {
                running.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause()
                        : e.getCause();
                throw cause instanceof IOException io ? io : new IOException(cause);
            }
        }
        running.whenComplete((ignored, error) -> {
            loop.shutdown();
            if (!closed) {
                sink.ended(root);
            }
        });
    }


    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the watcher of {}", root.name(), e);
        }
        loop.shutdownNow();
    }

    /** The path of an event as the index knows it: below the configured root folder. */
    private Path underRoot(Path eventPath) {
        return root.dir().resolve(realDir.relativize(eventPath));
    }

    private final class Listener implements DirectoryChangeListener {
        @Override
        public void onEvent(DirectoryChangeEvent event) {
            if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                sink.overflow(root);
                return;
            }
            Path path = event.path();
            if (path == null || !path.startsWith(realDir) || path.equals(realDir)) {
                return;
            }
            Path relative = realDir.relativize(path);
            switch (event.eventType()) {
                case CREATE, MODIFY -> {
                    if (!event.isDirectory() && filter.mediaTypeOf(relative).isPresent()) {
                        sink.fileChanged(root, underRoot(path));
                    }
                }
                case DELETE -> {
                    boolean couldHoldIndexedFiles = event.isDirectory()
                            ? !filter.skipsDirectory(relative)
                            : filter.mediaTypeOf(relative).isPresent();
                    if (couldHoldIndexedFiles) {
                        sink.gone(root, underRoot(path));
                    }
                }
                default -> { }
            }
        }

        /**
         * An error in the event loop may have cost events, so anything but an I/O error (which
         * may mean "out of watches") is handled like an overflow: the root is rescanned. This is
         * also how real overflows arrive: directory-watcher 0.19 with hashing off fails with a
         * NullPointerException on an OVERFLOW event (its path is null and its hash map rejects
         * null keys), so the event itself never reaches {@link #onEvent}.
         */
        @Override
        public void onException(Exception e) {
            if (closed) {
                return;
            }
            if (e instanceof IOException io) {
                sink.failed(root, io);
            } else {
                LOG.debug("[watcher] error in the event loop of {}; treating it as lost events", root.name(), e);
                sink.overflow(root);
            }
        }

        @Override
        public boolean isWatching() {
            return !closed;
        }
    }

    /**
     * Walks only the folders worth watching. The walks while watching starts (directory-watcher
     * 0.19 with hashing off walks the root twice: to note its folders, then to register them) do
     * nothing with files, so they list folders alone ({@link FolderWalk}: a million files are not
     * read one by one at every start). Later walks (a folder created or moved in while watching)
     * report its files too, as events. Hazard: a newer directory-watcher that used the files of
     * those first walks would get none; its upgrade must check this.
     */
    private final class Visitor implements FileTreeVisitor {
        @Override
        public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
            if (Thread.currentThread() == registering) { // not the event loop's walks, on its own thread
                FolderWalk.folders(start, this::isExcluded, onDirectory::call);
                return;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.startsWith(realDir) || isExcluded(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    onDirectory.call(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        onFile.call(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable or vanished: the scan reports it
                }
            });
        }

        private boolean isExcluded(Path dir) {
            return !dir.equals(realDir) && (neverEnter.contains(dir) || filter.skipsDirectory(realDir.relativize(dir)));
        }
    }
}

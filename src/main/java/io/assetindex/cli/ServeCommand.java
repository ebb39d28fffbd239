package io.assetindex.cli;

import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.config.Workspace;
import io.assetindex.index.Reanalyzer;
import io.assetindex.log.LogFiles;
import io.assetindex.scan.FailedFiles;
import io.assetindex.scan.ScanListener;
import io.assetindex.server.ApiServer;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherState;
import io.assetindex.util.Json;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API without watching: search, browse and show an index that no watcher"
                + " feeds here (an imported index, a restored backup, a machine that only searches).",
                "Takes the workspace lock like watch (one service per workspace), answers on server.address:"
                        + "server.port (127.0.0.1:8317 by default) until SIGTERM or SIGINT, and writes state.json"
                        + " with state 'serving' and api.url. See docs/api.md."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    private static final long STATE_EVERY_MS = 2_000;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException, InterruptedException {
        AppConfig config = main.loadConfig(Map.of());
        if (!config.server().enabled()) {
            throw new CommandFailure(ExitCode.USAGE, "server.enabled is false in the config; serve has nothing to do"
                    + " (set server.enabled: true)");
        }
        Workspace workspace = config.workspace();
        IndexAccess.requireExisting(config, main.context());
        String token = config.server().token(main.context().environment()::get);
        ProcessIdentity self = ProcessIdentity.current();
        StateFile stateFile = new StateFile(workspace.stateFile());
        WatcherState state = new WatcherState(self, config.hostName(), VersionProvider.version(), List.of(),
                config.debounceSeconds(), main.context().clock());
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService requeues = Executors.newSingleThreadExecutor(Threads.daemon("requeue"));
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("state"));
        try (InstanceLock lock = WatchCommand.acquire(workspace, self);
                LogFiles logs = LogFiles.open(workspace.logsDir(), "watcher", config.logMaxFileBytes(),
                        config.logKeepFiles(), true);
                Assembly assembly = Assembly.open(config, main.context().environment()::get, main.context().clock(),
                        Assembly.Use.SERVICE)) {
            LOG.info("[serve] starting (the API without a watcher)…");
            logs.notice().ifPresent(notice -> LOG.warn("[serve] {}", notice));
            Signals.onTermination(stop::countDown);
            Requeuer requeuer = new Requeuer(assembly, state, requeues);
            try (ApiServer api = ServiceApi.start(assembly, state, self, token, () -> Json.MAPPER.valueToTree(
                    requeuer.start()), true).orElseThrow()) {
                state.phase(WatcherState.Phase.SERVING);
                writer.scheduleWithFixedDelay(() -> writeState(state, stateFile, false), 0, STATE_EVERY_MS,
                        TimeUnit.MILLISECONDS);
                stop.await();
                LOG.info("[serve] stopping");
                state.phase(WatcherState.Phase.STOPPING);
                writeState(state, stateFile, true);
            } finally {
                writer.shutdownNow();
                requeues.shutdownNow();
                requeues.awaitTermination(5, TimeUnit.SECONDS);
                writer.awaitTermination(5, TimeUnit.SECONDS);
                state.phase(WatcherState.Phase.STOPPED);
                writeState(state, stateFile, true);
            }
        }
        return ExitCode.OK;
    }

    private static void writeState(WatcherState state, StateFile file, boolean always) {
        if (!always && !state.changedSinceSnapshot()) {
            return;
        }
        try {
            file.write(state.snapshot());
        } catch (IOException | RuntimeException e) {
            LOG.warn("[serve] cannot write {}: {}", file.path(), e.getMessage());
        }
    }

    /** {@code POST /api/v1/requeue} without a watcher: {@code requeue}'s work, in the background, one at a time. */
    private static final class Requeuer {
        private final Assembly assembly;
        private final WatcherState state;
        private final ExecutorService executor;
        private final AtomicBoolean busy = new AtomicBoolean();

        Requeuer(Assembly assembly, WatcherState state, ExecutorService executor) {
            this.assembly = assembly;
            this.state = state;
            this.executor = executor;
        }

        FailedFiles.Requeued start() {
            FailedFiles failed = FailedFiles.find(assembly.config(), assembly.store());
            if (!busy.compareAndSet(false, true)) {
                return new FailedFiles.Requeued(false, failed.failedBefore(), 0, failed.gone(), "queued");
            }
            LOG.info("[serve] requeue asked for: {} failed files, {} still there to try again", failed.failedBefore(),
                    failed.present().size());
            executor.execute(() -> {
                try {
                    FailedFiles.Retried retried = failed.retry(assembly.config(), assembly.indexing(), ScanListener.NONE);
                    Reanalyzer.Summary reanalysis = assembly.indexing().reanalyzer().run(new Reanalyzer.Listener() {
                        @Override
                        public void progressed(String analyzer, long done, long total) {
                            state.reanalysis(analyzer, done, total);
                        }
                    }, true);
                    LOG.info("[serve] requeue: {} indexed, {} failed again, {} gone; re-analysis: {}", retried.indexed(),
                            retried.failed(), retried.gone(), reanalysis.line());
                } catch (RuntimeException e) {
                    LOG.error("[serve] requeue failed", e);
                    state.error("requeue failed: " + e.getMessage());
                } finally {
                    state.reanalysisDone();
                    busy.set(false);
                }
            });
            return new FailedFiles.Requeued(true, failed.failedBefore(), failed.present().size(), failed.gone(),
                    "started");
        }
    }
}

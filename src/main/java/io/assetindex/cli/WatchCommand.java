package io.assetindex.cli;

import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import io.assetindex.index.FileNames;
import io.assetindex.log.LogFiles;
import io.assetindex.maintain.StaleTempFiles;
import io.assetindex.scan.ScanTarget;
import io.assetindex.server.ApiServer;
import io.assetindex.scan.ScanTargets;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherInfo;
import io.assetindex.state.WatcherState;
import io.assetindex.util.Json;
import io.assetindex.store.WatcherRegistry;
import io.assetindex.util.Timestamps;
import io.assetindex.watch.Heartbeat;
import io.assetindex.watch.WatchDaemon;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Run the watcher in the foreground: take the workspace lock, scan every watch path once,"
                + " then keep the index in step with them until SIGTERM or SIGINT (Ctrl-C).",
                "Logs go to .asset_index/logs/ and to stdout; state.json shows what it is doing.",
                "It also serves the HTTP API (and the search of the CLI) on server.address:server.port"
                        + " (127.0.0.1:8317 by default); see docs/api.md."})
final class WatchCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Folders to watch instead of the configured watch paths (a folder inside a watch path"
                    + " is watched as part of it).")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        AppConfig config = main.loadConfig(Map.of());
        List<WatchRoot> roots = roots(config);
        Workspace workspace = config.workspace();
        ProcessIdentity self = ProcessIdentity.current();
        StateFile stateFile = new StateFile(workspace.stateFile());
        Optional<WatcherInfo> previous = WatcherInfo.read(stateFile);
        String token = config.server().token(main.context().environment()::get);
        // The lock comes first: a second watcher must not touch the running one's logs. The logs are closed
        // before the lock is released (the reverse order of these resources).
        try (InstanceLock lock = acquire(workspace, self);
                LogFiles logs = LogFiles.open(workspace.logsDir(), "watcher", config.logMaxFileBytes(),
                        config.logKeepFiles(), true)) {
            LOG.info("[watcher] starting…");
            logs.notice().ifPresent(notice -> LOG.warn("[watcher] {}", notice));
            LOG.info("[config] {}", Json.write(config.describe()));
            removeStaleTempFiles(workspace);
            FileNames.encodingWarning().ifPresent(warning -> LOG.warn("[watcher] {}", warning));
            previous.filter(WatcherInfo::stale).ifPresent(WatchCommand::logTakeOver);
            try (Assembly assembly = Assembly.open(config, main.context().environment()::get, main.context().clock(),
                    Assembly.Use.SERVICE)) {
                List<String> watchPaths = roots.stream().map(WatchRoot::name).toList();
                WatcherState state = new WatcherState(self, config.hostName(), VersionProvider.version(),
                        watchPaths, config.debounceSeconds(), main.context().clock());
                WatchDaemon daemon = new WatchDaemon(config, roots, assembly.store(), state, stateFile,
                        main.context().clock(), main.context().environment()::get);
                AtomicReference<String> lost = new AtomicReference<>();
                try (WatcherRegistry.Ownership ownership = own(assembly, workspace, watchPaths, self);
                        Heartbeat heartbeat = new Heartbeat(ownership, state, main.context().clock(), why -> {
                            lost.set(why);
                            LOG.error("[watcher] {}", why);
                            daemon.stop();
                        }, daemon::databaseFailed).start()) {
                    Signals.onTermination(daemon::stop);
                    try (ApiServer api = ServiceApi.start(assembly, state, self, token,
                            () -> Json.MAPPER.valueToTree(daemon.requeue()), false).orElse(null)) {
                        daemon.run();
                    }
                }
                if (lost.get() != null) {
                    throw new CommandFailure(ExitCode.LOCKED, lost.get());
                }
            }
        }
        return ExitCode.OK;
    }

    /**
     * This host's ownership of the watch paths (on PostgreSQL, where several machines share the index)
     * and the watcher's row in the watchers table.
     */
    private static WatcherRegistry.Ownership own(Assembly assembly, Workspace workspace, List<String> watchPaths,
            ProcessIdentity self) {
        try {
            return new WatcherRegistry(assembly.database(), assembly.clock()).register(workspace.root().toString(),
                    watchPaths, self.pid(), VersionProvider.version());
        } catch (WatcherRegistry.OwnedElsewhere e) {
            String holder = e.holder().map(w -> "pid " + w.pid() + " in " + w.workspace() + ", since "
                    + Timestamps.local(w.startedAt(), assembly.clock().getZone())
                    + (w.alive() ? "" : ", its last heartbeat at "
                            + Timestamps.local(w.heartbeatAt(), assembly.clock().getZone())))
                    .orElse("a watcher not in the watchers table");
            throw new CommandFailure(ExitCode.LOCKED, "watch path " + e.watchPath() + " of host "
                    + assembly.config().hostName() + " is owned by another watcher (" + holder + ") in "
                    + assembly.database().describe() + "; stop it first, or give this machine another host_name");
        }
    }

    /** The configured roots, or those holding the given paths (a path outside every root is a root of its own). */
    private List<WatchRoot> roots(AppConfig config) {
        if (paths.isEmpty()) {
            return config.watchRoots();
        }
        List<WatchRoot> roots = new ArrayList<>();
        for (ScanTarget target : ScanTargets.forPaths(config,
                paths.stream().map(p -> main.context().currentDir().resolve(p)).toList())) {
            if (!target.start().toFile().isDirectory()) {
                throw new ConfigException("watch needs folders; " + target.start() + " is a file");
            }
            if (!roots.contains(target.root())) {
                roots.add(target.root());
            }
        }
        return roots;
    }

    /** The workspace lock of the one service (watch or serve) running on it. */
    static InstanceLock acquire(Workspace workspace, ProcessIdentity self) throws IOException {
        try {
            return InstanceLock.acquire(workspace.lockFile(), self);
        } catch (InstanceLock.HeldException e) {
            String holder = e.holder().map(p -> "pid " + p.pid()).orElse("another process");
            throw new CommandFailure(ExitCode.LOCKED, "another watcher or server (" + holder + ") is running on "
                    + workspace.root() + "; stop it first, or use 'asset-index status' to see it");
        }
    }

    /** Temp files of writes that a killed process never finished; never fatal. */
    private void removeStaleTempFiles(Workspace workspace) {
        StaleTempFiles.Sweep sweep = StaleTempFiles.sweep(workspace.dataDir(), main.context().clock().instant(), false);
        if (sweep.files() > 0) {
            LOG.info("[watcher] removed {} temp files left by interrupted writes ({} bytes)", sweep.files(), sweep.bytes());
        }
        if (sweep.failed() > 0) {
            LOG.warn("[watcher] cannot remove {} stale temp files in {} (first: {}); check the permissions of that folder",
                    sweep.failed(), workspace.dataDir(), sweep.problem());
        }
    }

    private static void logTakeOver(WatcherInfo previous) {
        String who = previous.identity() == null ? "unknown pid" : "pid " + previous.identity().pid();
        boolean reused = previous.identity() != null && previous.identity().pidInUse();
        LOG.warn("[watcher] the previous watcher ({}, last state '{}') did not stop cleanly and is {}; taking over",
                who, previous.phase(), reused ? "gone (its pid now belongs to another process)" : "no longer running");
    }
}

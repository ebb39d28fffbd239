package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.ConfigLoader;
import io.assetindex.embed.LocalEmbedder;
import io.assetindex.log.LogFiles;
import io.assetindex.maintain.MaintenanceException;
import io.assetindex.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code asset-index} executable. Holds what every subcommand shares (workspace,
 * config file, environment, clock, output streams) and maps failures to exit codes.
 */
@Command(
        name = "asset-index",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a searchable index of a folder tree of media (images, video, audio).",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  1  failed at run time", "  2  bad usage or configuration",
                "  3  another watcher holds the workspace lock",
                "%nWorkspace: --workspace DIR, else $ASSET_INDEX_WORKSPACE, else the current folder."})
public final class Main implements Callable<Integer> {
    /**
     * The subcommands, in the order help lists them. Only the one a command line runs is added
     * (see {@link #execute}): picocli reads every option of every command it is given, by
     * reflection; its model of all of them took 0.5 s to build, of one 0.2 s (its own classes'
     * loading included), measured without the class-data archive on a slow 2-core machine.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(WatchCommand.class, ServeCommand.class, ScanCommand.class,
            StatusCommand.class, SearchCommand.class, ListCommand.class, SimilarCommand.class, ShowCommand.class,
            LogCommand.class, FailuresCommand.class, IntegrityCommand.class, HistoryCommand.class, FoldersCommand.class,
            RequeueCommand.class, VerifyCommand.class, PruneCommand.class, DoctorCommand.class, BackupCommand.class,
            RestoreCommand.class, ExportCommand.class, ImportCommand.class, MigrateCommand.class,
            CommandLine.HelpCommand.class);

    @Option(names = "--workspace", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The folder to serve (default: $ASSET_INDEX_WORKSPACE, else the current folder).")
    Path workspace;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A YAML config file applied over <workspace>/asset-index.yaml (default: $ASSET_INDEX_CONFIG).")
    Path configFile;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    Main(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CliContext context = new CliContext(System.getenv(), Clock.systemDefaultZone(),
                Path.of("").toAbsolutePath(), Terminal.isInteractive());
        exit(execute(args, out, err, context));
    }

    /**
     * Ends the process, once a load of the embedding model a command started has ended (exiting
     * during it crashed the process: {@link LocalEmbedder#awaitBackgroundLoad}).
     */
    static void exit(int code) {
        LocalEmbedder.awaitBackgroundLoad();
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
        CommandLine commandLine = new CommandLine(new Main(context));
        Class<?> invoked = invoked(commandLine.getCommandSpec(), args);
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (invoked == null || subcommand == invoked) {
                commandLine.addSubcommand(subcommand);
            }
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> runtimeError(e, cmd.getErr()));
        // search sunset -beach: a word after a '-' is a word to exclude, not an option asset-index does not know.
        CommandLine search = commandLine.getSubcommands().get("search");
        if (search != null) {
            search.setUnmatchedOptionsArePositionalParams(true);
        }
        return commandLine.execute(args);
    }

    /**
     * The subcommand a command line runs: its first word that is neither an option of {@code main}
     * (the top command's model, without its subcommands) nor the value of one; that word if it names
     * a subcommand, else null (help, an unknown word or none), which gets every subcommand, to list
     * them or to suggest the nearest.
     */
    static Class<?> invoked(CommandSpec main, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            OptionSpec option = main.findOption(arg);
            if (option != null && option.arity().min() > 0) {
                i++; // --workspace DIR: DIR is its value (--workspace=DIR is one word)
            } else if (!arg.startsWith("-")) {
                for (Class<?> subcommand : SUBCOMMANDS) {
                    if (subcommand != CommandLine.HelpCommand.class
                            && subcommand.getAnnotation(Command.class).name().equals(arg)) {
                        return subcommand;
                    }
                }
                return null;
            }
        }
        return null;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("asset-index: " + e.getMessage());
        err.println("Try 'asset-index " + (command.getParent() == null ? "" : command.getCommandName() + " ")
                + "--help' for usage.");
        err.flush();
        return ExitCode.USAGE;
    }

    private static int runtimeError(Exception e, PrintWriter err) {
        if (e instanceof ConfigException) {
            err.println("asset-index: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        if (e instanceof StoreException || e instanceof CommandFailure || e instanceof MaintenanceException) {
            err.println("asset-index: " + e.getMessage());
            err.flush();
            return e instanceof CommandFailure failure ? failure.exitCode() : ExitCode.FAILURE;
        }
        err.println("asset-index: unexpected error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCode.FAILURE;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    CliContext context() {
        return context;
    }

    /** The workspace folder: --workspace, else $ASSET_INDEX_WORKSPACE, else the current folder. */
    Path workspaceDir() {
        if (workspace != null) {
            return context.currentDir().resolve(workspace);
        }
        String fromEnvironment = context.environment().get("ASSET_INDEX_WORKSPACE");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return context.currentDir().resolve(fromEnvironment);
        }
        return context.currentDir();
    }

    /**
     * Switches logging to a one-off command's files in the workspace ({@code logs/<command>.out.log} and
     * {@code .err.log}); says on stderr when another process is writing them and this one cannot.
     */
    /** Where warnings for people go (stderr). */
    PrintWriter errorWriter() {
        return spec.commandLine().getErr();
    }

    LogFiles openLogs(AppConfig config, String command) {
        LogFiles logs = LogFiles.open(config.workspace().logsDir(), command, config.logMaxFileBytes(),
                config.logKeepFiles(), false);
        logs.notice().ifPresent(notice -> spec.commandLine().getErr().println("asset-index: warning: " + notice));
        return logs;
    }

    /** Loads and validates the configuration, with {@code flags} (dotted key to YAML text) on top. */
    AppConfig loadConfig(Map<String, String> flags) {
        Path file = configFile;
        String fromEnvironment = context.environment().get("ASSET_INDEX_CONFIG");
        if (file == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            file = Path.of(fromEnvironment);
        }
        return ConfigLoader.load(new ConfigLoader.Sources(workspaceDir(),
                file == null ? null : context.currentDir().resolve(file), context.environment(), flags));
    }
}

package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.query.FolderQuery;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "folders", mixinStandardHelpOptions = true,
        description = {"Browse the index by folder: the folders one level below a folder of a watch path, each with"
                + " the assets under it; without a folder, the watch paths.",
                "'asset-index list --root ROOT --folder FOLDER' lists the assets under one."})
final class FoldersCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ROOT[/FOLDER]",
            description = "A watch path (as configured, e.g. raw_assets), or a folder below it"
                    + " (raw_assets/aerial/2024).")
    String folder;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        FolderQuery query = query(config, folder);
        JsonNode document = QueryAccess.ask(main, config, where.local, queries -> queries.folders(query));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(document));
            return ExitCode.OK;
        }
        // The counts right-aligned, so that their digits line up.
        int digits = 1;
        for (JsonNode child : document.path("folders")) {
            digits = Math.max(digits, Long.toString(child.path("assets").asLong()).length());
        }
        Table table = Table.plain(3);
        for (JsonNode child : document.path("folders")) {
            table.add(String.format(Locale.ROOT, "%" + digits + "d", child.path("assets").asLong()),
                    Output.text(child, "name") + "/",
                    child.path("job").isTextual() ? "job" : "");
        }
        table.print(out, "");
        out.println(summary(document));
        return ExitCode.OK;
    }

    /**
     * The watch path and the folder below it that {@code shown} names, as paths are shown: the
     * deepest watch path it starts with ({@code .} holds what no other does). A name under no watch
     * path goes to the query as it is, which answers with the watch paths there are.
     */
    static FolderQuery query(AppConfig config, String shown) {
        if (shown == null) {
            return new FolderQuery(null, null);
        }
        String path = shown.replaceAll("/+$", "");
        Optional<String> root = config.watchRoots().stream().map(WatchRoot::name)
                .filter(name -> path.equals(name) || path.startsWith(name + "/"))
                .max(Comparator.comparingInt(String::length));
        if (root.isPresent()) {
            return new FolderQuery(root.get(), path.substring(Math.min(path.length(), root.get().length() + 1)));
        }
        if (config.watchRoots().stream().anyMatch(r -> r.name().equals("."))) {
            return new FolderQuery(".", path);
        }
        int slash = path.indexOf('/');
        return slash < 0 ? new FolderQuery(path, "") : new FolderQuery(path.substring(0, slash),
                path.substring(slash + 1));
    }

    /** The last line: how many assets are under the folder and how many files lie directly in it. */
    private static String summary(JsonNode document) {
        long assets = document.path("assets_under").asLong();
        String root = Output.text(document, "root");
        String folder = Output.text(document, "folder");
        String where = root == null ? "the watch paths" : folder.isEmpty() ? root : WatchRoot.displayPath(root, folder);
        String line = (assets == 1 ? "1 asset" : assets + " assets") + " under " + where;
        long files = document.path("files_here").asLong();
        return root == null ? line : line + "; " + files + (files == 1 ? " file" : " files") + " directly in it";
    }
}

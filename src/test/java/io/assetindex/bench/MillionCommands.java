package io.assetindex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that must stay within bounded memory however large the index, each run once through
 * the launcher on the data set with no daemon running (so each answers itself): wall time and peak
 * resident memory (GNU time). {@code export} writes without thumbnails to a temp file (deleted);
 * {@code prune} is a dry run (the same transaction, rolled back); {@code verify} checks every live
 * path against the disk and every recorded thumbnail.
 */
final class MillionCommands {

    /** One command's run. */
    record Figure(String command, double seconds, double peakRssMib) {}

    private final MillionDataSet data;
    private final Path launcher;

    MillionCommands(MillionDataSet data, Path launcher) {
        this.data = data;
        this.launcher = launcher;
    }

    List<Figure> run() throws Exception {
        Path export = Files.createTempFile("million-export", ".jsonl");
        Files.delete(export);
        SyntheticCatalog.Asset shown = data.catalog().asset(data.catalog().count() / 2);
        List<List<String>> commands = List.of(List.of("status"), List.of("list", "--local", "--limit", "50"),
                List.of("list", "--local", "--limit", "50", "--json"), List.of("show", shown.shownPath()),
                List.of("export", "--no-thumbnails", "--out", export.toString()), List.of("prune", "--dry-run"),
                List.of("verify"));
        List<Figure> figures = new ArrayList<>();
        try {
            for (List<String> command : commands) {
                List<String> full = new ArrayList<>(List.of(launcher.toString()));
                full.addAll(command);
                Measure.Run run = Measure.run(data.workspace(), full);
                String name = String.join(" ", command).replace(export.toString(), "FILE");
                figures.add(new Figure(name, run.wallSeconds(), run.peakRssMib()));
                System.out.printf("  %-45s %7.2f s  peak RSS %5.0f MiB%n", name, run.wallSeconds(), run.peakRssMib());
            }
        } finally {
            Files.deleteIfExists(export);
        }
        return figures;
    }
}

package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} from one workspace and {@code import} into another, in-process on real files. */
class ExportImportTest {
    @TempDir
    Path source;
    @TempDir
    Path target;
    @TempDir
    Path files;

    private InProcess from;
    private InProcess into;
    private Path export;

    @BeforeEach
    void indexAndExport() {
        TestMedia.jpeg(source.resolve("raw_assets/holiday/beach_sunset.jpg"), 64, 48, 1);
        TestMedia.jpeg(source.resolve("raw_assets/office/invoice_scan.jpg"), 48, 64, 2);
        TestMedia.wav(source.resolve("raw_assets/music/piano_lullaby.wav"), 0.3, 3);
        TestMedia.fixture("clip.mp4", source.resolve("raw_assets/video/drone_coast.mp4"));
        from = new InProcess(source);
        into = new InProcess(target);
        assertThat(from.run("scan").exitCode()).isZero();
        export = files.resolve("index.jsonl.gz");
        InProcess.Run run = from.run("export", "--out", export.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("export: 4 assets, 4 paths, 4 vectors, 3 thumbnails");
    }

    private Path database(Path workspace) {
        return workspace.resolve(".asset_index/index.db");
    }

    private void copyMedia() throws IOException {
        try (Stream<Path> walk = Files.walk(source.resolve("raw_assets"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(source.relativize(file));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static List<String> hits(InProcess cli, String query) {
        InProcess.Run run = cli.run("search", query, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.json().get("results").findValues("id").stream()
                .map(JsonNode::asText).toList();
    }

    @Test
    void importIntoAnEmptyWorkspaceAnalysesNothingAndSearchesTheSame() throws IOException {
        copyMedia();

        InProcess.Run run = into.run("import", export.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = run.json();
        assertThat(report.get("new_assets").asInt()).isEqualTo(4);
        assertThat(report.get("vectors").asInt()).isEqualTo(4);
        assertThat(report.get("vectors_left_out").isNull()).isTrue();
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM process_log")).isZero();
        long analyses = SqliteFile.count(database(target), "SELECT count(*) FROM analysis_cache");
        assertThat(analyses).isEqualTo(SqliteFile.count(database(source), "SELECT count(*) FROM analysis_cache"));
        for (String query : List.of("beach sunset", "drone shot over the coast", "piano music")) {
            assertThat(hits(into, query)).as(query).isEqualTo(hits(from, query));
        }
        assertThat(SqliteFile.value(database(target), "SELECT file_path FROM assets WHERE file_name = 'drone_coast.mp4'"))
                .isEqualTo(target.resolve("raw_assets/video/drone_coast.mp4").toString());
        assertThat(into.run("show", "raw_assets/holiday/beach_sunset.jpg").out()).contains("thumbs/");

        JsonNode scan = into.run("scan", "--json").json();

        // Copies keep mtimes to the microsecond only, so the files are hashed: known content, nothing analysed.
        assertThat(scan.get("unchanged").asInt() + scan.get("skipped").asInt()).isEqualTo(4);
        assertThat(scan.get("indexed").asInt() + scan.get("linked").asInt()).isZero();
        assertThat(scan.at("/reanalysis/reanalyzed").asInt()).isZero();
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM analysis_cache")).isEqualTo(analyses);
    }

    @Test
    void newerAnalysisWinsWhicheverSideHasIt() throws IOException {
        copyMedia();
        assertThat(into.run("scan").exitCode()).isZero();
        SqliteFile.execute(database(source), "UPDATE assets SET summary = 'described on the source'");
        SqliteFile.execute(database(source), "UPDATE analysis_cache SET created_at = '2099-01-01T00:00:00.000Z'"
                + " WHERE analyzer = 'probe' AND asset_id IN (SELECT id FROM assets WHERE media_type = 'audio')");
        from.run("export", "--out", export.toString(), "--force");

        JsonNode report = into.run("import", export.toString(), "--json").json();

        assertThat(report.get("new_assets").asInt()).isZero();
        assertThat(report.get("updated_assets").asInt()).isEqualTo(1);
        assertThat(report.get("paths").asInt()).isZero();
        assertThat(SqliteFile.rows(database(target), "SELECT media_type, summary FROM assets ORDER BY media_type"))
                .extracting(row -> row.get("summary"))
                .containsExactly("described on the source", null, null, null);
    }

    @Test
    void importRefusesPathsOutsideTheWatchPathsUnknownRootsAndCutFiles() throws IOException {
        List<String> lines = Files.readAllLines(uncompressed());
        Path escaping = files.resolve("escaping.jsonl");
        Files.write(escaping, lines.stream().map(l -> l.replace("\"rel_path\":\"holiday/", "\"rel_path\":\"../../")).toList());
        Path unknownRoot = files.resolve("unknown-root.jsonl");
        Files.write(unknownRoot, lines.stream().map(l -> l.replace("\"source_root\":\"raw_assets\"",
                "\"source_root\":\"jobs\"")).toList());
        Path cut = files.resolve("cut.jsonl");
        Files.write(cut, lines.subList(0, lines.size() - 1));

        InProcess.Run escape = into.run("import", escaping.toString());
        InProcess.Run unknown = into.run("import", unknownRoot.toString());
        InProcess.Run shortFile = into.run("import", cut.toString());
        InProcess.Run notAnExport = into.run("import", TestMedia.jpeg(files.resolve("x.jpg"), 8, 8, 1).toString());

        assertThat(escape.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(escape.err()).contains("'../../beach_sunset.jpg'", "not a plain relative path", "nothing was imported");
        assertThat(unknown.err()).contains("watch path 'jobs'", "add it to watch_paths");
        assertThat(shortFile.err()).contains("cut short");
        assertThat(notAnExport.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM assets")).isZero();
    }

    @Test
    void vectorsOfAnotherModelAreLeftOutAndSaidSo() throws IOException {
        Files.writeString(target.resolve("asset-index.yaml"), "embedding:\n  provider: openai\n"
                + "  base_url: http://127.0.0.1:9/v1\n  model: text-embedding-3-small\n");

        InProcess.Run run = into.run("import", export.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("4 assets (4 new", "0 vectors", "vectors left out: made by all-minilm-l6-v2-q");
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM assets_vec")).isZero();
    }

    @Test
    void withoutThumbnailsTheImportingSideMakesThemAgainFromItsMediaFiles() throws IOException {
        Path lean = files.resolve("lean.jsonl");
        assertThat(from.run("export", "--out", lean.toString(), "--no-thumbnails").out()).contains("0 thumbnails");
        copyMedia();

        JsonNode report = into.run("import", lean.toString(), "--json").json();

        assertThat(report.get("thumbnails").asInt()).isZero();
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM derived_files")).isZero();
        JsonNode scan = into.run("scan", "--json").json();
        assertThat(scan.at("/reanalysis/reanalyzed").asInt()).isEqualTo(3);
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM derived_files")).isEqualTo(3);
        assertThat(hits(into, "beach sunset")).isEqualTo(hits(from, "beach sunset"));
    }

    private Path uncompressed() {
        Path plain = files.resolve("plain.jsonl");
        assertThat(from.run("export", "--out", plain.toString()).exitCode()).isZero();
        return plain;
    }

    @Test
    void anExportIntoAMissingFolderSaysToCreateItAndAnExistingFileNeedsForce() {
        InProcess.Run missing = from.run("export", "--out", files.resolve("nope/index.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(missing.err()).isEqualTo("asset-index: folder " + files.resolve("nope") + " does not exist;"
                + " create it first\n");
        InProcess.Run exists = from.run("export", "--out", export.toString());
        assertThat(exists.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(exists.err()).contains("exists; give another file name, or --force to replace it");
    }
}

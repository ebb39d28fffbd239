package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.Vectors;
import io.assetindex.testing.MediaTree;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
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
        assertThat(target.resolve(".asset_index")).as("a refused import creates no index").doesNotExist();
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

    /** The plain export's lines, parsed. */
    private List<ObjectNode> exportLines() throws IOException {
        return Files.readAllLines(uncompressed()).stream().map(line -> (ObjectNode) Json.read(line)).toList();
    }

    private Path write(String name, List<ObjectNode> lines) throws IOException {
        return Files.write(files.resolve(name), lines.stream().map(Json::write).toList());
    }

    /** The export with its first asset line changed by {@code change}. */
    private Path withFirstAsset(List<ObjectNode> lines, Consumer<ObjectNode> change) throws IOException {
        return withLine(lines, 1, change);
    }

    /** The export with its line at {@code index} (0: the header) changed by {@code change}. */
    private Path withLine(List<ObjectNode> lines, int index, Consumer<ObjectNode> change) throws IOException {
        List<ObjectNode> copy = new ArrayList<>(lines.stream().map(ObjectNode::deepCopy).toList());
        change.accept(copy.get(index));
        return write("changed.jsonl", copy);
    }

    private static String floats(float... values) {
        return Base64.getEncoder().encodeToString(Vectors.pack(values));
    }

    /** Every asset line's vector replaced by one of {@code dimension} dimensions, and the header saying so. */
    private Path withVectorsOf(int dimension) throws IOException {
        List<ObjectNode> lines = exportLines();
        ((ObjectNode) lines.get(0).get("embedding_model")).put("dimension", dimension);
        float[] vector = new float[dimension];
        Arrays.fill(vector, 0.25f);
        lines.stream().filter(line -> line.path("type").asText().equals("asset"))
                .forEach(line -> line.put("embedding", floats(vector)));
        return write("dimension-" + dimension + ".jsonl", lines);
    }

    private static void assertRefusedInOneLine(InProcess.Run run, String... parts) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains(parts).contains("nothing was imported").doesNotContain("Exception", "\tat ");
        assertThat(run.err().strip()).doesNotContain("\n");
    }

    @Test
    void importOfABadVectorWritesNothing() throws IOException {
        copyMedia();
        assertThat(into.run("scan").exitCode()).isZero();
        List<ObjectNode> lines = exportLines();
        ObjectNode image = lines.stream().filter(line -> line.at("/asset/media_type").asText().equals("image")
                && line.path("thumbnail").isObject()).findFirst().orElseThrow();
        // 250 assets: more than one merge transaction, so a failure late in the file would come after a commit.
        List<ObjectNode> many = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 0; i < 250; i++) {
            ObjectNode copy = image.deepCopy();
            ((ObjectNode) copy.get("asset")).put("id", String.format("%064x", i + 1));
            ((ObjectNode) copy.get("paths").get(0)).put("rel_path", "many/copy" + i + ".jpg");
            many.add(copy);
        }
        many.get(240).put("embedding", "not+base64!");
        many.add((ObjectNode) Json.MAPPER.createObjectNode().put("type", "end").put("assets", 250));
        Path bad = write("bad-vector.jsonl", many);
        Map<String, List<String>> rows = SqliteFile.dump(database(target));
        Map<String, String> thumbs = MediaTree.snapshot(target.resolve(".asset_index/thumbs"));

        InProcess.Run run = into.run("import", bad.toString());

        assertRefusedInOneLine(run, "line 241: embedding: ");
        assertThat(SqliteFile.dump(database(target))).isEqualTo(rows);
        assertThat(MediaTree.snapshot(target.resolve(".asset_index/thumbs"))).isEqualTo(thumbs);
    }

    /** A change to an export's line, and the field the refusal must name. */
    private record Damage(String field, Consumer<ObjectNode> change) {}

    private static ObjectNode asset(ObjectNode line) {
        return (ObjectNode) line.get("asset");
    }

    private static ObjectNode firstAnalysis(ObjectNode line) {
        return (ObjectNode) line.get("analyses").get(0);
    }

    @Test
    void importRefusesEveryFieldTheIndexCouldNotUseWithOneLineAndCreatesNothing() throws IOException {
        List<ObjectNode> lines = exportLines();
        float[] ofWrongLength = new float[383];
        float[] notFinite = new float[384];
        notFinite[7] = Float.NaN;
        List<Damage> damages = List.of(
                new Damage("embedding", line -> line.put("embedding", "@@@@")),
                new Damage("embedding", line -> line.put("embedding", "AAAA")),
                new Damage("embedding", line -> line.put("embedding", 5)),
                new Damage("embedding", line -> line.put("embedding", floats(ofWrongLength))),
                new Damage("embedding", line -> line.put("embedding", floats(notFinite))),
                new Damage("analyses", line -> line.put("analyses", "none")),
                new Damage("analyses[0].result", line -> firstAnalysis(line).put("result", "fine")),
                new Damage("analyses[0].result.tags_json", line -> ((ObjectNode) firstAnalysis(line).get("result"))
                        .put("tags_json", "beach")),
                new Damage("analyses[0].result.scenes_json", line -> ((ObjectNode) firstAnalysis(line).get("result"))
                        .putArray("scenes_json").add(3)),
                new Damage("analyses[0].created_at", line -> firstAnalysis(line).put("created_at", "soon")),
                new Damage("analyses[0].duration_ms", line -> firstAnalysis(line).put("duration_ms", -3)),
                new Damage("analyses[0].analyzer", line -> firstAnalysis(line).put("analyzer", "")),
                new Damage("asset.id", line -> asset(line).put("id", "ABC")),
                new Damage("asset.media_type", line -> asset(line).put("media_type", "document")),
                new Damage("asset.size_bytes", line -> asset(line).put("size_bytes", -1)),
                new Damage("asset.size_bytes", line -> asset(line).put("size_bytes", "12")),
                new Damage("asset.mtime", line -> asset(line).put("mtime", "now")),
                new Damage("asset.width", line -> asset(line).put("width", 1.5)),
                new Damage("asset.duration_seconds", line -> asset(line).put("duration_seconds", -2.0)),
                new Damage("asset.has_audio", line -> asset(line).put("has_audio", "yes")),
                new Damage("asset.summary", line -> asset(line).put("summary", 7)),
                new Damage("asset.file_name", line -> asset(line).put("file_name", "")),
                new Damage("asset.tags_json", line -> asset(line).put("tags_json", "not json")),
                new Damage("asset.tags_json", line -> asset(line).put("tags_json", "{\"beach\":1}")),
                new Damage("asset.tags_json", line -> asset(line).put("tags_json", "[1,2]")),
                new Damage("asset.tags_json", line -> asset(line).put("tags_json", "[\"beach\"] and more")),
                new Damage("asset.mood_json", line -> asset(line).put("mood_json", "\"calm\"")),
                new Damage("asset.scenes_json", line -> asset(line).put("scenes_json", "[\"a scene\"]")),
                new Damage("asset.raw_json", line -> asset(line).put("raw_json", "[]")),
                new Damage("asset.raw_json", line -> asset(line).put("raw_json", "{")),
                new Damage("asset.indexed_at", line -> asset(line).put("indexed_at", "yesterday")),
                new Damage("paths", line -> line.putObject("paths")),
                new Damage("paths[0].size_bytes", line -> ((ObjectNode) line.get("paths").get(0)).put("size_bytes", -5)),
                new Damage("paths[0].mtime_ns", line -> ((ObjectNode) line.get("paths").get(0)).put("mtime_ns", "x")));

        for (Damage damage : damages) {
            InProcess.Run run = into.run("import", withFirstAsset(lines, damage.change()).toString());

            assertRefusedInOneLine(run, "line 2: " + damage.field() + ": ");
        }
        InProcess.Run header = into.run("import", withLine(lines, 0,
                line -> ((ObjectNode) line.get("embedding_model")).put("dimension", 0)).toString());
        assertRefusedInOneLine(header, "line 1: embedding_model.dimension: ");
        InProcess.Run settings = into.run("import", withLine(lines, 0, line -> ((ObjectNode) line
                .get("config_snapshots").get(0)).put("settings_text", "thumbnail/1/size=4096/quality=85")).toString());
        assertRefusedInOneLine(settings, "line 1: config_snapshots[0].config_hash: ",
                "is not the hash of its settings_text");
        assertThat(target.resolve(".asset_index")).doesNotExist();
    }

    @Test
    void anImportKeepsTheSettingsBehindEveryConfigHashSoOlderResultsStayExplained() throws IOException {
        copyMedia();
        into.env.put("ASSET_INDEX_MEDIA__THUMBNAIL_SIZE", "32");

        JsonNode report = into.json("import", export.toString());

        String snapshots = "SELECT * FROM config_snapshots ORDER BY config_hash";
        assertThat(report.get("config_snapshots").asLong()).isEqualTo(5);
        assertThat(SqliteFile.rows(database(target), snapshots)).isEqualTo(SqliteFile.rows(database(source), snapshots));
        JsonNode thumbnail = into.json("show", "raw_assets/holiday/beach_sunset.jpg").get("analyses")
                .findParents("analyzer").stream().filter(a -> a.get("analyzer").asText().equals("thumbnail"))
                .findFirst().orElseThrow();
        assertThat(thumbnail.get("settings_state").asText()).isEqualTo("older");
        assertThat(thumbnail.at("/settings/size").asInt()).isEqualTo(256);

        JsonNode again = into.json("import", withLine(exportLines(), 0, line -> line.remove("config_snapshots"))
                .toString());
        assertThat(again.get("config_snapshots").asLong()).as("an export made before snapshots were kept").isZero();
        assertThat(SqliteFile.rows(database(target), snapshots)).isEqualTo(SqliteFile.rows(database(source), snapshots));
    }

    @Test
    void anImportWithANonJsonTagsColumnIsRefusedAndSearchByTagAndShowJsonKeepWorking() throws IOException {
        SqliteFile.execute(database(source), "UPDATE assets SET tags_json = '[\"beach\", \"sunset\"]',"
                + " mood_json = '[\"calm\"]' WHERE file_name = 'beach_sunset.jpg'");
        List<ObjectNode> lines = exportLines();
        copyMedia();
        Path broken = write("broken-tags.jsonl", lines.stream().map(line -> {
            ObjectNode copy = line.deepCopy();
            if (copy.has("asset") && copy.at("/asset/file_name").asText().equals("drone_coast.mp4")) {
                asset(copy).put("tags_json", "drone, coast");
            }
            return copy;
        }).toList());

        assertRefusedInOneLine(into.run("import", broken.toString()), "asset.tags_json: ");
        InProcess.Run good = into.run("import", write("good.jsonl", lines).toString());

        assertThat(good.exitCode()).as(good.err()).isZero();
        InProcess.Run byTag = into.run("search", "sea", "--tag", "beach", "--json");
        assertThat(byTag.exitCode()).as(byTag.err()).isZero();
        assertThat(byTag.json().get("results")).hasSize(1);
        assertThat(byTag.json().at("/results/0/tags").toString()).isEqualTo("[\"beach\",\"sunset\"]");
        for (String file : List.of("raw_assets/holiday/beach_sunset.jpg", "raw_assets/video/drone_coast.mp4")) {
            InProcess.Run show = into.run("show", file, "--json");
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.json().at("/asset/raw_json").isObject()).isTrue();
        }
    }

    @Test
    void vectorsOfTheIndexModelWithAnotherDimensionAreLeftOutAndLaterEmbeddingsStillWork() throws IOException {
        Path eight = withVectorsOf(8);
        copyMedia();

        InProcess.Run run = into.run("import", eight.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("4 assets (4 new", "0 vectors", "vectors left out: ", "8 dimensions",
                "384");
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM assets_vec")).isZero();
        TestMedia.jpeg(target.resolve("raw_assets/holiday/harbour.jpg"), 40, 30, 9);
        JsonNode scan = into.run("scan", "--json").json();
        assertThat(scan.get("failed").asInt()).isZero();
        assertThat(SqliteFile.value(database(target), "SELECT dimension FROM embedding_models")).isEqualTo(384);
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM assets_vec")).isEqualTo(5);
        assertThat(hits(into, "beach sunset").get(0)).isEqualTo(hits(from, "beach sunset").get(0));
    }

    @Test
    void vectorsOfAnotherDimensionNeverChangeTheDimensionOfAnIndexThatHasVectors() throws IOException {
        TestMedia.jpeg(target.resolve("raw_assets/other/harbour.jpg"), 40, 30, 9);
        assertThat(into.run("scan").exitCode()).isZero();
        Path eight = withVectorsOf(8);

        InProcess.Run run = into.run("import", eight.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("4 assets (4 new", "0 vectors", "vectors left out: ");
        assertThat(SqliteFile.value(database(target), "SELECT dimension FROM embedding_models")).isEqualTo(384);
        assertThat(SqliteFile.count(database(target), "SELECT count(*) FROM assets_vec")).isEqualTo(1);
        InProcess.Run search = into.run("search", "harbour", "--json");
        assertThat(search.exitCode()).as(search.err()).isZero();
    }

    @Test
    void aLineLongerThanTheCapIsRefusedWithItsNumberAndTheCapWithoutReadingItWhole() throws IOException {
        List<String> lines = Files.readAllLines(uncompressed());
        Path huge = files.resolve("huge.jsonl.gz");
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(huge), 1 << 16)) {
            out.write((lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 96; i++) {
                out.write(chunk); // 96 MiB without a newline
            }
        }

        InProcess.Run run = into.run("import", huge.toString());

        assertRefusedInOneLine(run, "line 2", "longer than 64 MiB");
    }
}

package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.store.AssetSort;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list} on real files indexed by {@code scan}, as a user runs it: orders, filters, pages
 * and facets, both outputs, and what bad arguments get. One workspace is indexed once and only read;
 * tests that change files make their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListCommandTest {
    private static final int PHOTOS = 5;
    private static final int ASSETS = PHOTOS + 5;

    private InProcess cli;
    private Path database;

    @BeforeAll
    void indexAWorkspace(@TempDir Path workspace, @TempDir Path scratch) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n");
        Path raw = workspace.resolve("raw_assets");
        TestMedia.fixture("exif.jpg", raw.resolve("camera/exif.jpg")); // captured 2026-11-20T14:30:05+01:00
        TestMedia.jpeg(raw.resolve("holiday/beach.jpg"), 640, 480, 1);
        Files.createDirectories(raw.resolve("holiday/copies"));
        Files.copy(raw.resolve("holiday/beach.jpg"), raw.resolve("holiday/copies/beach.jpg"));
        TestMedia.wav(raw.resolve("music/lullaby.wav"), 2.0, 2);
        for (int i = 1; i <= PHOTOS; i++) {
            TestMedia.jpeg(raw.resolve("misc/photo_%02d.jpg".formatted(i)), 64, 48, 100 + i);
        }
        Path job = workspace.resolve("jobs/ACME-042");
        Path plain = Ffmpeg.clip(scratch.resolve("drone.mp4"), 320, 240, 1.0, false, 5);
        Files.createDirectories(job);
        Ffmpeg.run("-i", plain.toString(), "-c", "copy", "-metadata", "creation_time=2025-06-01T08:00:00Z",
                job.resolve("drone.mp4").toString());
        TestMedia.wav(job.resolve("voice_over.wav"), 6.0, 6);

        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        database = workspace.resolve(".asset_index/index.db");
    }

    private JsonNode list(String... args) {
        List<String> full = new ArrayList<>(List.of("list", "--json"));
        full.addAll(List.of(args));
        InProcess.Run run = cli.run(full.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run.json();
    }

    private static List<String> firstPaths(JsonNode document) {
        List<String> paths = new ArrayList<>();
        document.get("results").forEach(result -> paths.add(result.at("/paths/0").asText()));
        return paths;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void jsonIsOneDocumentWithTheTotalThePagingTheOrderTheFiltersAndTheResults() {
        JsonNode document = list("--limit", "3");
        assertThat(fieldNames(document)).containsExactly("total", "facets", "limit", "offset", "sort", "filters",
                "results");
        assertThat(document.get("total").asInt()).isEqualTo(ASSETS);
        assertThat(document.get("limit").asInt()).isEqualTo(3);
        assertThat(document.get("offset").asInt()).isZero();
        assertThat(document.get("sort").asText()).isEqualTo("newest");
        assertThat(fieldNames(document.get("filters"))).containsExactly("type", "min_duration", "max_duration",
                "min_width", "min_height", "root", "folder", "job", "tag", "path", "audio_role");
        assertThat(document.get("results")).hasSize(3);

        JsonNode beach = list("--path", "holiday/").at("/results/0");
        assertThat(fieldNames(beach)).containsExactly("rank", "id", "file_name", "media_type", "width", "height",
                "duration_seconds", "fps", "has_audio", "has_transcript", "job_id", "style", "summary", "audio_role",
                "paths", "tags", "mood", "size_bytes", "indexed_at", "captured_at");
        assertThat(beach.get("rank").asInt()).isEqualTo(1);
        assertThat(beach.get("id").asText()).hasSize(64);
        assertThat(beach.get("media_type").asText()).isEqualTo("image");
        assertThat(beach.get("width").asInt()).isEqualTo(640);
        assertThat(beach.get("paths")).extracting(JsonNode::asText)
                .containsExactly("raw_assets/holiday/beach.jpg", "raw_assets/holiday/copies/beach.jpg");
        assertThat(beach.get("size_bytes").asLong()).isEqualTo(((Number) SqliteFile.value(database,
                "SELECT size_bytes FROM assets WHERE file_name = 'beach.jpg'")).longValue());
        assertThat(beach.get("indexed_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]0[12]:00");
        assertThat(beach.get("captured_at").isNull()).isTrue();
        assertThat(beach.get("tags")).isEmpty();

        JsonNode filtered = list("--type", "audio", "--tag", "Calm", "--tag", "sea", "--min-duration", "1.5", "--root",
                "jobs", "--job", "ACME-042", "--sort", "size", "--offset", "4", "--limit", "7");
        assertThat(filtered.get("filters").toString()).isEqualTo("{\"type\":\"audio\",\"min_duration\":1.5,"
                + "\"max_duration\":null,\"min_width\":null,\"min_height\":null,\"root\":\"jobs\",\"folder\":null,"
                + "\"job\":\"ACME-042\",\"tag\":[\"Calm\",\"sea\"],\"path\":null,\"audio_role\":null}");
        assertThat(filtered.get("sort").asText()).isEqualTo("size");
        assertThat(filtered.get("offset").asInt()).isEqualTo(4);
        assertThat(filtered.get("limit").asInt()).isEqualTo(7);
    }

    @Test
    void aResultHasEveryFieldOfASearchHitButTheDistanceAndTheSameValuesForThem() {
        JsonNode hit = cli.run("search", "beach", "--path", "holiday/", "--json").json().at("/results/0");
        JsonNode listed = list("--path", "holiday/").at("/results/0");
        List<String> hitFields = new ArrayList<>(fieldNames(hit));
        hitFields.removeAll(List.of("distance", "score", "weak", "matched"));
        assertThat(fieldNames(listed)).containsSubsequence(hitFields)
                .endsWith("size_bytes", "indexed_at", "captured_at");
        for (String field : List.of("rank", "id", "file_name", "media_type", "width", "height", "duration_seconds",
                "fps", "has_audio", "has_transcript", "job_id", "style", "summary", "audio_role", "paths")) {
            assertThat(listed.get(field)).as(field).isEqualTo(hit.get(field));
        }
    }

    @Test
    void everyOrderNameOnTheCommandLineIsAnOrderOfTheIndex() {
        assertThat(ListCommand.SortName.values()).extracting(name -> AssetSort.fromId(name.name()))
                .allMatch(Optional::isPresent);
        assertThat(ListCommand.SortName.values()).hasSameSizeAs(AssetSort.values());
    }

    @Test
    void newestIsTheDefaultAndFollowsTheTimeEachAssetWasIndexed() {
        List<String> expected = new ArrayList<>();
        SqliteFile.rows(database, "SELECT file_name FROM assets ORDER BY indexed_at DESC, id DESC")
                .forEach(row -> expected.add((String) row.get("file_name")));
        assertThat(fileNames(list("--limit", "100"))).isEqualTo(expected);
        List<String> oldest = new ArrayList<>();
        list("--sort", "oldest").get("results").forEach(result -> oldest.add(0, result.get("file_name").asText()));
        assertThat(oldest).isEqualTo(expected);
    }

    @Test
    void capturedPutsTheCamerasAndTheVideosTimeFirstAndTheUnknownLast() {
        JsonNode document = list("--sort", "captured", "--limit", "3");
        assertThat(firstPaths(document)).startsWith("raw_assets/camera/exif.jpg", "jobs/ACME-042/drone.mp4");
        assertThat(document.at("/results/0/captured_at").asText()).isEqualTo("2026-11-20T14:30:05+01:00");
        assertThat(document.at("/results/1/captured_at").asText()).startsWith("2025-06-01T08:00:00");
        assertThat(document.at("/results/2/captured_at").isNull()).isTrue();

        List<String> lines = cli.run("list", "--sort", "captured", "--limit", "2").out().lines().toList();
        assertThat(lines.get(0)).containsPattern("#\\s+TYPE\\s+SIZE\\s+DURATION\\s+CAPTURED\\s+PATH");
        assertThat(lines.get(1)).matches("1\\s+image\\s+48x64\\s+-\\s+2026-11-20T14:30:05\\+01:00\\s+raw_assets/camera/exif.jpg");
        assertThat(lines.get(3)).isEqualTo("2 of " + ASSETS + " assets (sorted by captured)");
    }

    @Test
    void nameSizeAndDurationOrderTheWholeIndex() {
        assertThat(fileNames(list("--sort", "name"))).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER).hasSize(ASSETS);

        List<Long> sizes = new ArrayList<>();
        list("--sort", "size").get("results").forEach(result -> sizes.add(result.get("size_bytes").asLong()));
        assertThat(sizes).isSortedAccordingTo((a, b) -> Long.compare(b, a));

        assertThat(firstPaths(list("--sort", "duration", "--limit", "3"))).containsExactly(
                "jobs/ACME-042/voice_over.wav", "raw_assets/music/lullaby.wav", "jobs/ACME-042/drone.mp4");
    }

    @Test
    void filtersKeepTheirAssetsOnEveryPage() {
        List<String> photos = List.of("photo_01.jpg", "photo_02.jpg", "photo_03.jpg", "photo_04.jpg", "photo_05.jpg");
        Map<List<String>, List<String>> cases = Map.of(
                List.of("--path", "MISC/"), photos,
                List.of("--type", "audio"), List.of("lullaby.wav", "voice_over.wav"),
                List.of("--root", "jobs"), List.of("drone.mp4", "voice_over.wav"),
                List.of("--job", "ACME-042", "--type", "video"), List.of("drone.mp4"),
                List.of("--min-width", "300", "--max-duration", "100"), List.of("drone.mp4"),
                List.of("--min-duration", "1.5"), List.of("lullaby.wav", "voice_over.wav"),
                List.of("--min-height", "480"), List.of("beach.jpg"));
        cases.forEach((filter, names) -> {
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < names.size() + 2; offset += 2) {
                List<String> args = new ArrayList<>(filter);
                args.addAll(List.of("--limit", "2", "--offset", String.valueOf(offset)));
                JsonNode page = list(args.toArray(String[]::new));
                assertThat(page.get("total").asInt()).as("%s", filter).isEqualTo(names.size());
                page.get("results").forEach(result -> paged.add(result.get("file_name").asText()));
            }
            assertThat(paged).as("%s", filter).containsExactlyInAnyOrderElementsOf(names);
            assertThat(paged).isEqualTo(fileNames(list(filter.toArray(String[]::new))));
        });
        assertThat(list("--job", "NOPE-1").get("total").asInt()).isZero();
        assertThat(cli.run("list", "--job", "NOPE-1").out()).isEqualTo("0 of 0 assets (sorted by newest)\n");
    }

    private static List<String> fileNames(JsonNode document) {
        List<String> names = new ArrayList<>();
        document.get("results").forEach(result -> names.add(result.get("file_name").asText()));
        return names;
    }

    @Test
    void textIsSearchsTableWithoutDistanceAndALastLineWithTheCount() {
        InProcess.Run run = cli.run("list", "--path", "holiday/");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("#\\s+TYPE\\s+SIZE\\s+DURATION\\s+INDEXED\\s+PATH");
        assertThat(lines.get(1)).matches("1\\s+image\\s+640x480\\s+-\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+"
                + "raw_assets/holiday/beach.jpg");
        assertThat(lines.get(2).strip()).isEqualTo("raw_assets/holiday/copies/beach.jpg");
        assertThat(lines.subList(3, lines.size())).containsExactly("1 of 1 assets (sorted by newest)",
                "types: image 1", "roots: raw_assets 1");

        List<String> byName = cli.run("list", "--sort", "name", "--limit", "3", "--offset", "3").out().lines().toList();
        assertThat(byName.get(0)).matches("#\\s+TYPE\\s+SIZE\\s+DURATION\\s+PATH");
        assertThat(byName.get(1)).startsWith("4 ");
        assertThat(byName.get(4)).isEqualTo("3 of " + ASSETS + " assets (sorted by name)");

        assertThat(cli.run("list", "--sort", "size", "--limit", "1").out().lines().findFirst().orElseThrow())
                .contains("BYTES");
        assertThat(cli.run("list", "--offset", "500").out()).startsWith("0 of " + ASSETS + " assets (sorted by newest;"
                + " --offset 500 is past the last)\ntypes: ");
    }

    @Test
    void facetsCountEveryMatchingAssetByTypeWatchPathAndJobWhateverThePage() {
        assertThat(list("--limit", "1").get("facets")).isEqualTo(Json.read("""
                {"media_type": [{"value": "image", "count": 7}, {"value": "audio", "count": 2},
                                {"value": "video", "count": 1}],
                 "root": [{"value": "raw_assets", "count": 8}, {"value": "jobs", "count": 2}],
                 "job": [{"value": "ACME-042", "count": 2}],
                 "tag": []}"""));
        assertThat(list("--sort", "name", "--offset", "500").get("facets")).isEqualTo(list().get("facets"));
        assertThat(list("--root", "jobs", "--limit", "1").get("facets")).isEqualTo(Json.read("""
                {"media_type": [{"value": "audio", "count": 1}, {"value": "video", "count": 1}],
                 "root": [{"value": "jobs", "count": 2}], "job": [{"value": "ACME-042", "count": 2}], "tag": []}"""));
        assertThat(list("--type", "image", "--path", "holiday/").get("facets")).isEqualTo(Json.read("""
                {"media_type": [{"value": "image", "count": 1}], "root": [{"value": "raw_assets", "count": 1}],
                 "job": [], "tag": []}"""));
    }

    @Test
    void eachFacetValueGivenAsItsFilterListsAsManyAssetsAsItsCount() {
        JsonNode facets = list("--min-duration", "0.5").get("facets");
        Map<String, String> options = Map.of("media_type", "--type", "root", "--root", "job", "--job");
        options.forEach((facet, option) -> {
            assertThat(facets.get(facet)).as(facet).isNotEmpty();
            facets.get(facet).forEach(count -> assertThat(list("--min-duration", "0.5", option,
                    count.get("value").asText()).get("total").asLong()).as("%s %s", option, count)
                    .isEqualTo(count.get("count").asLong()));
        });
    }

    @Test
    void textShowsOneLinePerFacetWithValuesUnderTheCount() {
        List<String> lines = cli.run("list", "--limit", "2").out().lines().toList();
        assertThat(lines.subList(3, lines.size())).containsExactly("2 of " + ASSETS + " assets (sorted by newest)",
                "types: image 7, audio 2, video 1", "roots: raw_assets 8, jobs 2", "jobs: ACME-042 2");
        assertThat(cli.run("list", "--type", "image", "--limit", "1").out().lines().toList())
                .endsWith("1 of 7 assets (sorted by newest)", "types: image 7", "roots: raw_assets 7");
    }

    @Test
    void tagsAreCountedInLowerCaseAsTheTagFilterMatchesThemAndDeletedFilesNotAtAll(@TempDir Path workspace)
            throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"),
                "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n");
        Path raw = workspace.resolve("raw_assets");
        Path jobs = workspace.resolve("jobs");
        List<String> files = List.of("raw_assets/a.jpg", "raw_assets/b.jpg", "raw_assets/c.jpg", "raw_assets/d.jpg",
                "jobs/JOB-1/e.jpg", "jobs/JOB-2/f.jpg");
        for (int i = 0; i < files.size(); i++) {
            TestMedia.jpeg(workspace.resolve(files.get(i)), 20, 20, i);
        }
        Files.createDirectories(raw.resolve("copies"));
        Files.copy(raw.resolve("a.jpg"), raw.resolve("copies/a.jpg"));
        InProcess own = new InProcess(workspace);
        assertThat(own.run("scan").exitCode()).isZero();
        Path index = workspace.resolve(".asset_index/index.db");
        Map<String, String> tags = Map.of("a.jpg", "[\"Beach\", \"sea\", \"t01\", \"t02\", \"t03\", \"t04\","
                + " \"t05\", \"t06\", \"t07\", \"t08\", \"t09\"]", "b.jpg", "[\"beach\"]",
                "c.jpg", "[\"SEA\", \"Beach\", \"beach\"]", "d.jpg", "[\"beach\", \"gone\"]", "e.jpg", "[\"gone\"]",
                "f.jpg", "[\"Sea\"]");
        tags.forEach((name, json) -> SqliteFile.execute(index, "UPDATE assets SET tags_json = ? WHERE file_name = ?",
                json, name)); // as the describer writes them
        Files.delete(raw.resolve("d.jpg"));
        Files.delete(jobs.resolve("JOB-1/e.jpg"));
        Files.delete(raw.resolve("copies/a.jpg"));
        assertThat(own.run("scan").exitCode()).isZero();

        JsonNode facets = own.run("list", "--json").json().get("facets");
        assertThat(facets.get("media_type")).isEqualTo(Json.read("[{\"value\": \"image\", \"count\": 4}]"));
        assertThat(facets.get("root")).isEqualTo(Json.read("[{\"value\": \"raw_assets\", \"count\": 3},"
                + " {\"value\": \"jobs\", \"count\": 1}]"));
        assertThat(facets.get("job")).isEqualTo(Json.read("[{\"value\": \"JOB-2\", \"count\": 1}]"));
        List<String> counted = new ArrayList<>();
        facets.get("tag").forEach(tag -> counted.add(tag.get("value").asText() + " " + tag.get("count").asInt()));
        assertThat(counted).containsExactly("beach 3", "sea 3", "t01 1", "t02 1", "t03 1", "t04 1", "t05 1", "t06 1",
                "t07 1", "t08 1", "t09 1");
        for (String tag : List.of("beach", "sea")) {
            assertThat(own.run("list", "--json", "--tag", tag).json().get("total").asInt()).as(tag).isEqualTo(3);
        }
        assertThat(own.run("list", "--json", "--tag", "gone").json().get("total").asInt()).isZero();
        assertThat(own.run("list", "--json", "--job", "JOB-1").json().get("facets")).isEqualTo(Json.read("""
                {"media_type": [], "root": [], "job": [], "tag": []}"""));
        assertThat(own.run("list", "--limit", "1").out().lines().toList()).endsWith("types: image 4",
                "roots: raw_assets 3, jobs 1", "jobs: JOB-2 1",
                "tags: beach 3, sea 3, t01 1, t02 1, t03 1, t04 1, t05 1, t06 1, t07 1, t08 1, ...");

        // A watch path taken out of the configuration is no filter any more: its assets are still counted.
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        JsonNode unwatched = own.run("list", "--json").json();
        assertThat(unwatched.get("total").asInt()).isEqualTo(4);
        assertThat(unwatched.at("/facets/root")).isEqualTo(Json.read("[{\"value\": \"raw_assets\", \"count\": 3}]"));
        assertThat(unwatched.at("/facets/job")).isEqualTo(facets.get("job"));
    }

    @Test
    void aDeletedFileIsNotListedAfterTheNextScanAndItsCopyKeepsTheAsset(@TempDir Path workspace) throws IOException {
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("a.jpg"), 20, 20, 1);
        Files.createDirectories(raw.resolve("copies"));
        Files.copy(raw.resolve("a.jpg"), raw.resolve("copies/a.jpg"));
        TestMedia.jpeg(raw.resolve("b.jpg"), 20, 20, 2);
        TestMedia.jpeg(raw.resolve("c.jpg"), 20, 20, 3);
        InProcess own = new InProcess(workspace);
        assertThat(own.run("scan").exitCode()).isZero();
        assertThat(own.run("list", "--json").json().get("total").asInt()).isEqualTo(3);

        Files.delete(raw.resolve("a.jpg"));
        Files.delete(raw.resolve("b.jpg"));
        assertThat(own.run("scan").exitCode()).isZero();

        JsonNode after = own.run("list", "--json", "--sort", "name").json();
        assertThat(after.get("total").asInt()).isEqualTo(2);
        assertThat(firstPaths(after)).containsExactly("raw_assets/copies/a.jpg", "raw_assets/c.jpg");
        assertThat(after.at("/results/0/paths")).hasSize(1);
        assertThat(own.run("list", "--path", "b.jpg").out()).isEqualTo("0 of 0 assets (sorted by newest)\n");
    }

    @Test
    void badArgumentsExitTwoWithOneLineSayingWhatIsAllowed() {
        Map<List<String>, String> bad = Map.of(
                List.of("--limit", "0"), "asset-index: --limit must be 1 to 10000 and --offset at least 0",
                List.of("--limit", "10001"), "asset-index: --limit must be 1 to 10000 and --offset at least 0",
                List.of("--offset", "-1"), "asset-index: --limit must be 1 to 10000 and --offset at least 0",
                List.of("--min-duration", "-1"), "asset-index: --min-duration must be a number of seconds, 0 or more",
                List.of("--max-duration", "NaN"), "asset-index: --max-duration must be a number of seconds, 0 or more",
                List.of("--min-duration", "5", "--max-duration", "1"),
                "asset-index: --max-duration must not be less than the minimum duration (5.0)",
                List.of("--min-width", "-3"), "asset-index: --min-width must be a number of pixels, 0 or more",
                List.of("--root", "nowhere"),
                "asset-index: --root nowhere is not a watch path; the watch paths are: raw_assets, jobs");
        bad.forEach((args, message) -> {
            List<String> full = new ArrayList<>(List.of("list"));
            full.addAll(args);
            InProcess.Run run = cli.run(full.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", args).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as("%s", args).isEqualTo(message + "\n");
            assertThat(run.out()).isEmpty();
        });
        List<String> manyTags = new ArrayList<>(List.of("list"));
        for (int i = 0; i <= 100; i++) {
            manyTags.addAll(List.of("--tag", "t" + i));
        }
        assertThat(cli.run(manyTags.toArray(String[]::new)).err()).isEqualTo("asset-index: --tag may be given at most"
                + " 100 times\n");

        InProcess.Run sort = cli.run("list", "--sort", "random");
        assertThat(sort.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sort.err()).contains("--sort", "newest, oldest, captured, name, size, duration", "random")
                .contains("Try 'asset-index list --help'");
        InProcess.Run type = cli.run("list", "--type", "document");
        assertThat(type.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(type.err()).contains("--type", "image, video, audio");
        InProcess.Run notANumber = cli.run("list", "--limit", "many");
        assertThat(notANumber.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(notANumber.err()).contains("--limit", "many");

        // The same checks guard search and similar: the filters are one shared option class.
        InProcess.Run search = cli.run("search", "beach", "--min-duration", "-1");
        assertThat(search.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(search.err()).isEqualTo("asset-index: --min-duration must be a number of seconds, 0 or more\n");
    }

    @Test
    void aWorkspaceWithoutAnIndexIsToldToScanFirst(@TempDir Path empty) {
        InProcess.Run run = new InProcess(empty).run("list");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("no index in").contains("run 'asset-index scan'");
        assertThat(empty.resolve(".asset_index/index.db")).doesNotExist();
    }

    @Test
    void helpNamesTheCommandAndItsOrders() {
        assertThat(cli.run("--help").out()).containsPattern("\\n\\s+list\\s+Browse the index without a query");
        InProcess.Run help = cli.run("list", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--sort", "captured", "--limit", "--offset", "--json", "--type", "--tag",
                "--audio-role", "--path", "--root", "--job");
    }
}

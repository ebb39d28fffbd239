package io.assetindex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.app.Assembly;
import io.assetindex.cli.CliContext;
import io.assetindex.cli.Main;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.query.FailuresQuery;
import io.assetindex.query.FolderQuery;
import io.assetindex.query.ListQuery;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.store.SearchFilter;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on a real index (media scanned by the CLI into a temp workspace), over real HTTP: every
 * route answers the document the command prints, files are served by id with ranges, and what a
 * hostile client sends gets a JSON error and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerTest {
    private static final Clock CLOCK = Clock.system(ZoneId.of("Europe/Paris"));
    /** Distinct contents indexed, those whose only path was deleted since included. */
    private static final int ASSETS = 15;

    private Path workspace;
    private Assembly assembly;
    private ApiServer server;
    private LocalQueries queries;
    private HttpClient http;
    private final AtomicInteger requeues = new AtomicInteger();
    private String photoId;
    private String audioId;
    private Path photo;

    /**
     * Indexes a workspace with a pool (raw_assets) and a jobs root: folders named with '%' and '_'
     * beside names those would match as LIKE patterns, a copy, files whose last attempt failed (one
     * of them gone since), and paths deleted since they were indexed (one folder holds only those).
     */
    @BeforeAll
    void serveAnIndex(@TempDir Path dir) throws Exception {
        workspace = dir;
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, jobs]\njobs_roots: [jobs]\n"
                + "server:\n  port: 0\n");
        Path raw = workspace.resolve("raw_assets");
        photo = TestMedia.jpeg(raw.resolve("holiday/beach.jpg"), 640, 480, 1);
        TestMedia.jpeg(raw.resolve("holiday/dunes.jpg"), 320, 240, 2);
        Files.createDirectories(raw.resolve("holiday/copies"));
        Files.copy(photo, raw.resolve("holiday/copies/beach.jpg"));
        TestMedia.fixture("exif.jpg", raw.resolve("camera/exif.jpg"));
        TestMedia.wav(raw.resolve("music/lullaby.wav"), 2.0, 2);
        TestMedia.jpeg(raw.resolve("50%/red.jpg"), 64, 48, 3);
        TestMedia.jpeg(raw.resolve("50%/old.jpg"), 64, 48, 4);
        TestMedia.jpeg(raw.resolve("500/blue.jpg"), 64, 48, 5);
        TestMedia.jpeg(raw.resolve("a_b/green.jpg"), 64, 48, 6);
        TestMedia.jpeg(raw.resolve("axb/grey.jpg"), 64, 48, 7);
        TestMedia.jpeg(raw.resolve("Brick/wall.jpg"), 64, 48, 8);
        TestMedia.jpeg(raw.resolve("gone/lost.jpg"), 64, 48, 9);
        TestMedia.write(raw.resolve("broken/bad.jpg"), "not a picture".getBytes(StandardCharsets.UTF_8));
        TestMedia.write(raw.resolve("broken/vanished.jpg"), "not one either".getBytes(StandardCharsets.UTF_8));
        Path jobs = workspace.resolve("jobs");
        TestMedia.jpeg(jobs.resolve("ACME-042/drone.jpg"), 64, 48, 10);
        TestMedia.jpeg(jobs.resolve("ACME-042/shots/take1.jpg"), 64, 48, 11);
        TestMedia.jpeg(jobs.resolve("BETA-7/still.jpg"), 64, 48, 12);
        TestMedia.jpeg(jobs.resolve("loose.jpg"), 64, 48, 13);
        assertThat(cli("scan").exitCode).isZero();
        Files.delete(raw.resolve("50%/old.jpg"));
        Files.delete(raw.resolve("gone/lost.jpg"));
        Files.delete(raw.resolve("broken/vanished.jpg"));
        assertThat(cli("scan").exitCode).isZero();
        photoId = cliJson("show", "--json", raw.resolve("holiday/beach.jpg").toString()).at("/asset/id").asText();
        audioId = cliJson("show", "--json", raw.resolve("music/lullaby.wav").toString()).at("/asset/id").asText();
        Path database = workspace.resolve(".asset_index/index.db");
        SqliteFile.execute(database, "UPDATE assets SET transcript = 'la la la' WHERE id = ?", audioId);
        SqliteFile.execute(database, "UPDATE assets SET transcript = ' \n' WHERE file_name = 'dunes.jpg'");
        Map.of("wall.jpg", "[\"Brick\", \"wall\"]", "red.jpg", "[\"brick\", \"red\"]").forEach((name, tags) ->
                SqliteFile.execute(database, "UPDATE assets SET tags_json = ? WHERE file_name = ?", tags, name));
        // The copy's bytes were indexed; a later attempt at it failed after hashing them (a full disk, say).
        SqliteFile.execute(database, "INSERT INTO process_log (file_path, content_hash, status, stage, error,"
                + " duration_ms, ran_at) VALUES ('raw_assets/holiday/copies/beach.jpg', ?, 'failed', 'store',"
                + " 'database or disk is full', 3, ?)", photoId, Timestamps.stored(CLOCK.instant()));

        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        assembly = Assembly.open(config, name -> null, CLOCK, Assembly.Use.SERVICE);
        queries = assembly.queries();
        server = ApiServer.start(config, null, queries, () -> {
            requeues.incrementAndGet();
            return Json.read("{\"started\": true}");
        }, () -> 0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        server.close();
        assembly.close();
    }

    // Documents

    @Test
    void everyRouteAnswersTheDocumentOfItsCommand() throws Exception {
        assertThat(getJson("/api/v1/search?q=beach&limit=3")).isEqualTo(cliJson("search", "beach", "--limit", "3",
                "--json", "--local"));
        assertThat(getJson("/api/v1/search?q=beach&type=image&min_width=600"))
                .isEqualTo(cliJson("search", "beach", "--type", "image", "--min-width", "600", "--json", "--local"));
        assertThat(getJson("/api/v1/similar/" + photoId + "?limit=2"))
                .isEqualTo(cliJson("similar", photoId, "--limit", "2", "--json", "--local"));
        assertThat(getJson("/api/v1/assets?sort=name&limit=2&offset=1"))
                .isEqualTo(cliJson("list", "--sort", "name", "--limit", "2", "--offset", "1", "--json", "--local"));
        assertThat(getJson("/api/v1/assets/" + photoId)).isEqualTo(cliJson("show", photoId, "--json", "--local"));
        assertThat(getJson("/api/v1/assets/" + photoId.substring(0, 8)))
                .isEqualTo(cliJson("show", photoId, "--json", "--local"));
        assertThat(getJson("/api/v1/log?status=ok&limit=3"))
                .isEqualTo(cliJson("log", "--status", "ok", "--limit", "3", "--json", "--local"));
        assertThat(getJson("/api/v1/failures?limit=2")).isEqualTo(cliJson("failures", "--limit", "2", "--json",
                "--local"));
        assertThat(getJson("/api/v1/integrity?type=image&limit=5"))
                .isEqualTo(cliJson("integrity", "--type", "image", "--limit", "5", "--json", "--local"));
        assertThat(getJson("/api/v1/history?kind=scan&limit=1"))
                .isEqualTo(cliJson("history", "--kind", "scan", "--limit", "1", "--json", "--local"));
        assertThat(getJson("/api/v1/history").path("total").asInt()).isPositive();
        assertThat(getJson("/api/v1/folders")).isEqualTo(cliJson("folders", "--json", "--local"));
        assertThat(getJson("/api/v1/folders?root=jobs&folder=ACME-042"))
                .isEqualTo(cliJson("folders", "jobs/ACME-042", "--json", "--local"));
        assertThat(getJson("/api/v1/assets?root=raw_assets&folder=holiday"))
                .isEqualTo(cliJson("list", "--root", "raw_assets", "--folder", "holiday", "--json", "--local"));
        JsonNode status = getJson("/api/v1/status");
        assertThat(status.at("/counts/assets").asInt()).isEqualTo(ASSETS);
        assertThat(status.at("/index/schema_version").asInt()).isEqualTo(cliJson("status", "--json", "--local")
                .at("/index/schema_version").asInt());
    }

    @Test
    void assetsCountFacetsOverEveryMatchingAssetWithTheValuesItsFiltersTake() throws Exception {
        assertThat(getJson("/api/v1/assets?limit=1").get("facets")).isEqualTo(Json.read("""
                {"media_type": [{"value": "image", "count": 12}, {"value": "audio", "count": 1}],
                 "root": [{"value": "raw_assets", "count": 9}, {"value": "jobs", "count": 4}],
                 "job": [{"value": "ACME-042", "count": 2}, {"value": "BETA-7", "count": 1}],
                 "tag": [{"value": "brick", "count": 2}, {"value": "red", "count": 1},
                         {"value": "wall", "count": 1}]}"""));
        assertThat(getJson("/api/v1/assets?root=raw_assets&tag=BRICK&sort=name&offset=5").get("facets"))
                .isEqualTo(Json.read("""
                {"media_type": [{"value": "image", "count": 2}], "root": [{"value": "raw_assets", "count": 2}],
                 "job": [], "tag": [{"value": "brick", "count": 2}, {"value": "red", "count": 1},
                                    {"value": "wall", "count": 1}]}"""));
        JsonNode facets = getJson("/api/v1/assets").get("facets");
        for (String facet : List.of("media_type", "root", "job", "tag")) {
            String parameter = facet.equals("media_type") ? "type" : facet;
            for (JsonNode count : facets.get(facet)) {
                String narrowed = "/api/v1/assets?" + parameter + "="
                        + URLEncoder.encode(count.get("value").asText(), StandardCharsets.UTF_8);
                assertThat(getJson(narrowed).get("total")).as(narrowed).isEqualTo(count.get("count"));
            }
        }
    }

    @Test
    void listAndSearchResultsHaveTheSameFieldsAndTypes() throws Exception {
        JsonNode hit = getJson("/api/v1/search?q=beach&limit=1").at("/results/0");
        JsonNode listed = getJson("/api/v1/assets?limit=1").at("/results/0");
        List<String> hitFields = new ArrayList<>();
        hit.fieldNames().forEachRemaining(hitFields::add);
        hitFields.removeAll(List.of("distance", "score", "weak", "matched"));
        List<String> listedFields = new ArrayList<>();
        listed.fieldNames().forEachRemaining(listedFields::add);
        assertThat(listedFields).startsWith(hitFields.toArray(String[]::new));
        assertThat(hit.get("tags").isArray()).isTrue();
        assertThat(hit.get("mood").isArray()).isTrue();
        assertThat(getJson("/api/v1/assets/" + audioId).at("/asset/media_type").asText()).isEqualTo("audio");
    }

    @Test
    void hitsAndListedAssetsSayWhetherTheAssetHasATranscript() throws Exception {
        JsonNode hit = getJson("/api/v1/search?q=lullaby&type=audio").at("/results/0");
        assertThat(hit.get("id").asText()).isEqualTo(audioId);
        assertThat(hit.get("has_transcript").isBoolean()).isTrue();
        assertThat(hit.get("has_transcript").asBoolean()).isTrue();
        assertThat(getJson("/api/v1/assets?type=audio").at("/results/0/has_transcript").asBoolean()).isTrue();
        assertThat(getJson("/api/v1/similar/" + audioId + "?type=image&limit=20").get("results"))
                .isNotEmpty().allSatisfy(image -> assertThat(image.get("has_transcript").isBoolean()).isTrue())
                .noneSatisfy(image -> assertThat(image.get("has_transcript").asBoolean()).isTrue());
        // Only white space is no transcript.
        JsonNode dunes = getJson("/api/v1/assets?path=dunes").at("/results/0");
        assertThat(dunes.get("has_transcript").isBoolean()).isTrue();
        assertThat(dunes.get("has_transcript").asBoolean()).isFalse();
    }

    @Test
    void failuresAreTheFilesWhoseLastAttemptFailedNewestFirst() throws Exception {
        JsonNode page = getJson("/api/v1/failures");
        assertThat(fieldNames(page)).containsExactly("total", "limit", "offset", "failures");
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("limit").asInt()).isEqualTo(50);
        assertThat(page.get("offset").asInt()).isZero();
        JsonNode copy = page.at("/failures/0");
        assertThat(fieldNames(copy)).containsExactly("path", "source_root", "rel_path", "stage", "error", "ran_at",
                "content_hash", "asset_id", "present");
        assertThat(copy.get("path").asText()).isEqualTo("raw_assets/holiday/copies/beach.jpg");
        assertThat(copy.get("source_root").asText()).isEqualTo("raw_assets");
        assertThat(copy.get("rel_path").asText()).isEqualTo("holiday/copies/beach.jpg");
        assertThat(copy.get("stage").asText()).isEqualTo("store");
        assertThat(copy.get("error").asText()).isEqualTo("database or disk is full");
        assertThat(copy.get("ran_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]0[12]:00");
        assertThat(copy.get("content_hash").asText()).isEqualTo(photoId);
        assertThat(copy.get("asset_id").asText()).isEqualTo(photoId);
        assertThat(copy.get("present").asBoolean()).isTrue();

        Map<String, JsonNode> broken = new HashMap<>();
        page.get("failures").forEach(failure -> broken.put(failure.get("path").asText(), failure));
        assertThat(broken).containsOnlyKeys("raw_assets/holiday/copies/beach.jpg", "raw_assets/broken/bad.jpg",
                "raw_assets/broken/vanished.jpg");
        JsonNode bad = broken.get("raw_assets/broken/bad.jpg");
        assertThat(bad.get("rel_path").asText()).isEqualTo("broken/bad.jpg");
        assertThat(bad.get("error").asText()).isNotBlank();
        assertThat(bad.get("asset_id").isNull()).isTrue();
        assertThat(bad.get("present").asBoolean()).isTrue();
        assertThat(broken.get("raw_assets/broken/vanished.jpg").get("present").asBoolean()).isFalse();

        JsonNode second = getJson("/api/v1/failures?limit=1&offset=1");
        assertThat(second.get("total").asInt()).isEqualTo(3);
        assertThat(second.get("failures")).containsExactly(page.at("/failures/1"));
        JsonNode past = getJson("/api/v1/failures?offset=10");
        assertThat(past.get("total").asInt()).isEqualTo(3);
        assertThat(past.get("failures")).isEmpty();
    }

    @Test
    void foldersWithoutARootAreTheWatchPathsWithTheirLiveAssets() throws Exception {
        assertThat(getJson("/api/v1/folders")).isEqualTo(Json.read("""
                {"root": null, "folder": "", "jobs_root": false, "folders": [
                  {"name": "raw_assets", "root": "raw_assets", "folder": "", "path": "raw_assets", "assets": 9,
                   "job": null},
                  {"name": "jobs", "root": "jobs", "folder": "", "path": "jobs", "assets": 4, "job": null}],
                 "files_here": 0, "assets_under": 13}"""));
    }

    @Test
    void aFolderListsTheFoldersBelowItByNameWithTheAssetsLivePathsHoldUnderEach() throws Exception {
        JsonNode root = getJson("/api/v1/folders?root=raw_assets");
        List<String> names = new ArrayList<>();
        root.get("folders").forEach(folder -> names.add(folder.get("name").asText()));
        // Not "gone" (its only path was deleted) nor "broken" (no file in it was indexed).
        assertThat(names).containsExactly("50%", "500", "a_b", "axb", "Brick", "camera", "holiday", "music");
        assertThat(root.get("root").asText()).isEqualTo("raw_assets");
        assertThat(root.get("folder").asText()).isEmpty();
        assertThat(root.get("jobs_root").asBoolean()).isFalse();
        assertThat(root.get("files_here").asInt()).isZero();
        assertThat(root.get("assets_under").asInt()).isEqualTo(9);
        assertThat(root.at("/folders/0/assets").asInt()).as("a deleted path does not count").isEqualTo(1);
        assertThat(root.at("/folders/6")).isEqualTo(Json.read("""
                {"name": "holiday", "root": "raw_assets", "folder": "holiday", "path": "raw_assets/holiday",
                 "assets": 2, "job": null}"""));

        assertThat(getJson("/api/v1/folders?root=raw_assets&folder=holiday")).isEqualTo(Json.read("""
                {"root": "raw_assets", "folder": "holiday", "jobs_root": false, "folders": [
                  {"name": "copies", "root": "raw_assets", "folder": "holiday/copies",
                   "path": "raw_assets/holiday/copies", "assets": 1, "job": null}],
                 "files_here": 2, "assets_under": 2}"""));
        JsonNode copies = getJson("/api/v1/folders?root=raw_assets&folder=holiday/copies");
        assertThat(copies.get("folders")).isEmpty();
        assertThat(copies.get("files_here").asInt()).isEqualTo(1);
    }

    @Test
    void aJobsRootNamesTheJobOfEachFolderOnItsFirstLevel() throws Exception {
        assertThat(getJson("/api/v1/folders?root=jobs")).isEqualTo(Json.read("""
                {"root": "jobs", "folder": "", "jobs_root": true, "folders": [
                  {"name": "ACME-042", "root": "jobs", "folder": "ACME-042", "path": "jobs/ACME-042", "assets": 2,
                   "job": "ACME-042"},
                  {"name": "BETA-7", "root": "jobs", "folder": "BETA-7", "path": "jobs/BETA-7", "assets": 1,
                   "job": "BETA-7"}],
                 "files_here": 1, "assets_under": 4}"""));
        assertThat(getJson("/api/v1/folders?root=jobs&folder=ACME-042")).isEqualTo(Json.read("""
                {"root": "jobs", "folder": "ACME-042", "jobs_root": true, "folders": [
                  {"name": "shots", "root": "jobs", "folder": "ACME-042/shots", "path": "jobs/ACME-042/shots",
                   "assets": 1, "job": null}],
                 "files_here": 1, "assets_under": 2}"""));
    }

    @Test
    void percentAndUnderscoreInFolderNamesAreOnlyCharacters() throws Exception {
        JsonNode percent = getJson("/api/v1/folders?root=raw_assets&folder=50%25");
        assertThat(percent.get("folder").asText()).isEqualTo("50%");
        assertThat(percent.get("files_here").asInt()).isEqualTo(1);
        assertThat(percent.get("assets_under").asInt()).isEqualTo(1);
        assertThat(getJson("/api/v1/folders?root=raw_assets&folder=a_b").get("assets_under").asInt()).isEqualTo(1);

        assertThat(livePaths(getJson("/api/v1/assets?root=raw_assets&folder=50%25")))
                .containsExactly("raw_assets/50%/red.jpg");
        JsonNode underscore = getJson("/api/v1/assets?root=raw_assets&folder=a_b");
        assertThat(underscore.get("total").asInt()).isEqualTo(1);
        assertThat(underscore.at("/filters/folder").asText()).isEqualTo("a_b");
        assertThat(livePaths(underscore)).containsExactly("raw_assets/a_b/green.jpg");
        assertThat(livePaths(getJson("/api/v1/search?q=picture&limit=50&root=raw_assets&folder=a_b")))
                .containsExactly("raw_assets/a_b/green.jpg");
        assertThat(livePaths(getJson("/api/v1/search?q=picture&limit=50&root=raw_assets&folder=holiday")))
                .containsExactlyInAnyOrder("raw_assets/holiday/beach.jpg", "raw_assets/holiday/copies/beach.jpg",
                        "raw_assets/holiday/dunes.jpg");
        assertThat(livePaths(getJson("/api/v1/similar/" + photoId + "?root=jobs&folder=ACME-042")))
                .containsExactlyInAnyOrder("jobs/ACME-042/drone.jpg", "jobs/ACME-042/shots/take1.jpg");
    }

    @Test
    void badFolderRequestsAre400AndFoldersWithNoLivePath404() throws Exception {
        assertError("/api/v1/folders?root=elsewhere", 400, "root elsewhere is not a watch path; the watch paths are:"
                + " raw_assets, jobs");
        assertError("/api/v1/folders?folder=holiday", 400, "folder needs a root");
        assertError("/api/v1/folders?root=raw_assets&folder=../jobs", 400, "folder must not have '.' or '..' in it");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday/.", 400, "folder must not have '.' or '..'");
        assertError("/api/v1/folders?root=raw_assets&folder=/etc", 400, "folder must be relative to its watch path");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday//copies", 400, "folder must not have empty names");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday/", 400, "folder must not have empty names");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday%5Ccopies", 400, "folder must separate folders"
                + " with '/'");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday%00", 400, "folder must not contain a NUL");
        assertError("/api/v1/folders?root=raw_assets&depth=2", 400, "unknown parameter 'depth'; allowed: folder, root");
        assertError("/api/v1/folders?root=raw_assets&root=jobs", 400, "root is given 2 times");
        assertError("/api/v1/folders?root=raw_assets&folder=nowhere", 404, "no folder nowhere in watch path"
                + " raw_assets");
        assertError("/api/v1/folders?root=raw_assets&folder=gone", 404, "no folder gone");
        assertError("/api/v1/folders?root=raw_assets&folder=broken", 404, "no folder broken");
        assertError("/api/v1/folders?root=raw_assets&folder=holiday/beach.jpg", 404, "no folder holiday/beach.jpg");
        assertError("/api/v1/assets?folder=holiday", 400, "folder needs a root");
        assertError("/api/v1/search?q=sea&root=raw_assets&folder=..", 400, "folder must not have '.' or '..'");
        assertError("/api/v1/failures?limit=0", 400, "limit must be a whole number from 1 to 10000, not '0'");
        assertError("/api/v1/failures?limit=10001", 400, "limit must be a whole number from 1 to 10000");
        assertError("/api/v1/failures?status=failed", 400, "unknown parameter 'status'; allowed: limit, offset");
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        HttpResponse<byte[]> get = send(HttpRequest.newBuilder(url("/api/v1/status")).GET());
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(url("/api/v1/assets/" + photoId + "/file"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElseThrow()).isEqualTo(Files.size(photo));
    }

    // Errors

    @Test
    void badRequestsGetJsonErrorsThatSayWhatIsAllowed() throws Exception {
        assertError("/api/v1/search?q=sea&limit=0", 400, "limit must be a whole number from 1 to 10000, not '0'");
        assertError("/api/v1/search?q=sea&type=document", 400, "type must be one of image, video, audio, not 'document'");
        assertError("/api/v1/search?q=sea&limt=3", 400, "unknown parameter 'limt'; allowed: audio_role, folder, job,"
                + " limit,");
        assertError("/api/v1/search?q=sea&min_duration=-1", 400, "min_duration must be a number of at least 0");
        assertError("/api/v1/search?q=sea&min_duration=5&max_duration=1", 400, "max_duration must not be less than");
        assertError("/api/v1/search?q=sea&root=elsewhere", 400, "root elsewhere is not a watch path; the watch paths"
                + " are: raw_assets, jobs");
        assertError("/api/v1/search", 400, "give some text to search for");
        assertError("/api/v1/search?q=a&q=b", 400, "q is given 2 times; give it once");
        assertError("/api/v1/assets?sort=random", 400, "sort must be one of newest, oldest, captured, name, size,"
                + " duration, not 'random'");
        assertError("/api/v1/log?status=maybe", 400, "status must be one of ok, skipped, failed");
        assertError("/api/v1/history?kind=backup", 400, "kind must be one of [scan, scan-on-start, rescan, verify,"
                + " verification], not 'backup'");
        assertError("/api/v1/search?q=" + "x".repeat(Params.MAX_VALUE_CHARS + 1), 400, "q is longer than 2000"
                + " characters");
    }

    @Test
    void unknownIdsAndRoutesAre404() throws Exception {
        assertError("/api/v1/assets/" + "0".repeat(64), 404, "no asset with id " + "0".repeat(64));
        assertError("/api/v1/assets/abcdef", 404, "no asset with id abcdef");
        assertError("/api/v1/similar/" + "0".repeat(64), 404, "no asset with id");
        assertError("/api/v1/assets/" + audioId + "/thumbnail", 404, "asset " + audioId
                + " has no thumbnail (audio has none)");
        assertError("/api/v1/nothing", 404, "no route /api/v1/nothing; the API is under /api/v1/");
        assertError("/nothing", 404, "no route /nothing");
        assertError("/api/v1/assets/not-an-id", 400, "an asset id is 6 to 64 hexadecimal characters");
        assertError("/api/v1/assets/" + "a".repeat(5000), 400, "an asset id is 6 to 64 hexadecimal characters");
    }

    @Test
    void aWrongMethodIs405WithTheMethodsAllowed() throws Exception {
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(url("/api/v1/search?q=x"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        HttpResponse<byte[]> get = send(HttpRequest.newBuilder(url("/api/v1/requeue")).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("POST");
        assertThat(Json.MAPPER.readTree(get.body()).get("error").asText()).isEqualTo("this route takes POST");
    }

    @Test
    void pathsThatTryToLeaveTheRoutesAreRefused() throws Exception {
        for (String path : List.of("/api/v1/assets/..%2F..%2F..%2Fetc%2Fpasswd/file", "/api/v1/assets/%2e%2e/file",
                "/api/v1/assets/%00/file", "/api/v1/assets/" + photoId + "%2Ffile")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).matches("(?s)HTTP/1.1 (400|404) .*");
            assertThat(answer).as(path).contains("application/json").doesNotContain("root:");
        }
        assertThat(raw("GET /api/v1/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .matches("(?s)HTTP/1.1 (400|404) .*").doesNotContain("root:");
    }

    @Test
    void oversizedHeadersAndGarbageGetAnErrorNotAHang() throws Exception {
        String huge = raw("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(huge).startsWith("HTTP/1.1 431");
        assertThat(raw("NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    // Files

    @Test
    void theOriginalIsServedWithRanges() throws Exception {
        byte[] bytes = Files.readAllBytes(photo);
        String file = "/api/v1/assets/" + photoId + "/file";
        HttpResponse<byte[]> whole = get(file, Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        assertThat(whole.headers().firstValue("content-type")).contains("image/jpeg");
        assertThat(whole.headers().firstValue("accept-ranges")).contains("bytes");
        String etag = whole.headers().firstValue("etag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + photoId + "\"");

        HttpResponse<byte[]> first = get(file, Map.of("Range", "bytes=0-99"));
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(bytes, 0, 100));
        assertThat(first.headers().firstValue("content-range")).contains("bytes 0-99/" + bytes.length);

        HttpResponse<byte[]> middle = get(file, Map.of("Range", "bytes=1000-1999"));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));

        HttpResponse<byte[]> last = get(file, Map.of("Range", "bytes=-50"));
        assertThat(last.statusCode()).isEqualTo(206);
        assertThat(last.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 50, bytes.length));

        HttpResponse<byte[]> open = get(file, Map.of("Range", "bytes=" + (bytes.length - 10) + "-"));
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));

        HttpResponse<byte[]> beyond = get(file, Map.of("Range", "bytes=" + bytes.length + "-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).contains("bytes */" + bytes.length);

        HttpResponse<byte[]> staleRange = get(file, Map.of("Range", "bytes=0-9", "If-Range", "\"other\""));
        assertThat(staleRange.statusCode()).isEqualTo(200);
        assertThat(staleRange.body()).hasSize(bytes.length);

        HttpResponse<byte[]> cached = get(file, Map.of("If-None-Match", etag));
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
    }

    @Test
    void thumbnailsAreJpegsCachedByTheirHash() throws Exception {
        HttpResponse<byte[]> thumbnail = get("/api/v1/assets/" + photoId + "/thumbnail", Map.of());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("content-type")).contains("image/jpeg");
        assertThat(thumbnail.body()).startsWith((byte) 0xFF, (byte) 0xD8);
        String etag = thumbnail.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{64}\"");
        assertThat(thumbnail.headers().firstValue("cache-control").orElseThrow()).contains("max-age=");
        assertThat(get("/api/v1/assets/" + photoId + "/thumbnail", Map.of("If-None-Match", etag)).statusCode())
                .isEqualTo(304);
    }

    @Test
    void aFileThatChangedOrLeftItsWatchPathIsNotServed(@TempDir Path outside) throws Exception {
        Path dunes = workspace.resolve("raw_assets/holiday/dunes.jpg");
        String id = cliJson("show", "--json", dunes.toString()).at("/asset/id").asText();
        byte[] bytes = Files.readAllBytes(dunes);
        FileTime mtime = Files.getLastModifiedTime(dunes);
        try {
            // The same bytes and mtime, but reached through a link to a file outside every watch path.
            Path copy = Files.write(outside.resolve("dunes.jpg"), bytes);
            Files.setLastModifiedTime(copy, mtime);
            Files.delete(dunes);
            Files.createSymbolicLink(dunes, copy);
            assertError("/api/v1/assets/" + id + "/file", 404, "no live path holds asset " + id + " now");

            // Back in place, but rewritten since it was indexed (another size).
            Files.delete(dunes);
            Files.write(dunes, Arrays.copyOf(bytes, bytes.length + 1));
            assertError("/api/v1/assets/" + id + "/file", 404, "no live path holds asset " + id + " now");
        } finally {
            Files.deleteIfExists(dunes);
            Files.write(dunes, bytes);
            Files.setLastModifiedTime(dunes, mtime);
        }
        assertThat(get("/api/v1/assets/" + id + "/file", Map.of()).body()).isEqualTo(bytes);
    }

    // Who may ask

    @Test
    void everyAnswerCarriesTheProtectiveHeaders() throws Exception {
        HttpResponse<byte[]> response = get("/api/v1/status", Map.of());
        assertThat(response.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'self'");
        assertThat(response.headers().firstValue("x-content-type-options")).contains("nosniff");
        assertThat(response.headers().firstValue("x-frame-options")).contains("DENY");
        assertThat(response.headers().firstValue("server")).isEmpty();
        assertThat(get("/api/v1/nothing", Map.of()).headers().firstValue("x-frame-options")).contains("DENY");
    }

    @Test
    void theWebPageIsServedFromTheJarWithTheSameHeadersAndChecks() throws Exception {
        for (String page : List.of("/", "/asset/" + "ab".repeat(32), "/folders", "/status", "/failures")) {
            HttpResponse<byte[]> response = get(page, Map.of());
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\""
                    + " src=\"/static/app.js\"></script>").doesNotContain("<script>");
            assertThat(response.headers().firstValue("content-security-policy").orElseThrow())
                    .contains("script-src 'self'");
        }
        HttpResponse<byte[]> script = get("/static/app.js", Map.of());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
        String etag = script.headers().firstValue("etag").orElseThrow();
        assertThat(get("/static/app.js", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(get("/static/app.css", Map.of()).headers().firstValue("content-type"))
                .contains("text/css; charset=utf-8");

        assertError("/static/missing.js", 404, "no route /static/missing.js");
        assertError("/static/../asset-index.yaml", 404, "no route");
        assertError("/static/%2e%2e/index.html", 400, "");
        assertError("/asset/not-an-id", 404, "no route /asset/not-an-id");
        assertThat(raw("GET / HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
        assertThat(raw("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 405");
    }

    @Test
    void anotherHostNameIsRefusedOnLoopback() throws Exception {
        assertThat(raw("GET /api/v1/status HTTP/1.1\r\nHost: evil.example:" + server.port()
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 403").contains("the Host header must name this"
                + " machine");
        assertThat(raw("GET /api/v1/status HTTP/1.1\r\nHost: localhost:" + server.port()
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(raw("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void changesAreAcceptedOnlyFromThisServersOwnPages() throws Exception {
        String host = "127.0.0.1:" + server.port();
        int before = requeues.get();
        String crossSite = raw("POST /api/v1/requeue HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://evil.example"
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(crossSite).startsWith("HTTP/1.1 403").contains("only from this server's own pages");
        String fetchMetadata = raw("POST /api/v1/requeue HTTP/1.1\r\nHost: " + host + "\r\nSec-Fetch-Site: cross-site"
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(fetchMetadata).startsWith("HTTP/1.1 403");
        assertThat(requeues.get()).isEqualTo(before);
        String own = raw("POST /api/v1/requeue HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
                + "\r\nSec-Fetch-Site: same-origin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(own).startsWith("HTTP/1.1 200").contains("\"started\":true");
        assertThat(requeues.get()).isEqualTo(before + 1);
    }

    @Test
    void aConfiguredTokenIsRequiredOnEveryRoute(@TempDir Path other) throws Exception {
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        String token = "s3cret-token-of-some-length";
        try (ApiServer guarded = ApiServer.start(config, token, queries, () -> Json.read("{}"), () -> 0)) {
            URI base = URI.create(guarded.url());
            for (String path : List.of("/api/v1/status", "/metrics", "/api/v1/assets/" + photoId + "/file")) {
                HttpResponse<byte[]> without = send(HttpRequest.newBuilder(base.resolve(path)).GET());
                assertThat(without.statusCode()).as(path).isEqualTo(401);
                assertThat(without.headers().firstValue("www-authenticate")).contains("Bearer");
                HttpResponse<byte[]> wrong = send(HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + token + "x").GET());
                assertThat(wrong.statusCode()).isEqualTo(401);
                HttpResponse<byte[]> right = send(HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + token).GET());
                assertThat(right.statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    // Metrics

    @Test
    void metricsAreInThePrometheusTextFormat() throws Exception {
        get("/api/v1/search?q=beach", Map.of());
        HttpResponse<byte[]> metrics = get("/metrics", Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("asset_index_assets{type=\"image\"} 14.0", "asset_index_assets{type=\"audio\"} 1.0",
                "asset_index_paths{state=\"live\"} 14.0", "asset_index_paths{state=\"deleted\"} 2.0",
                "asset_index_http_request_duration_seconds_bucket{route=\"search\",le=\"0.05\"}", "asset_index_vectors{",
                "jvm_memory_used_bytes{area=\"heap\"}",
                // The files whose failure waits to be retried: broken/bad.jpg (vanished.jpg is gone, forgotten).
                "asset_index_failing_files 1.0", "asset_index_integrity_files{verdict=\"bit_rot\"} 0.0");
    }

    // A hostile or unlucky client

    @Test
    void aPortInUseIsOneClearLine() throws Exception {
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(),
                Map.of("server.port", String.valueOf(server.port()))));
        assertThatThrownBy(() -> ApiServer.start(config, null, queries, () -> Json.read("{}"), () -> 0))
                .isInstanceOf(ApiServer.StartException.class)
                .hasMessage("cannot serve the API on 127.0.0.1:" + server.port() + ": the port is in use (another"
                        + " asset-index, or another program); set server.port to a free port, or server.enabled: false");
    }

    @Test
    void manyIdleAndSlowConnectionsDoNotStopOthers() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1_000; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                idle.add(socket);
            }
            // Half of them start a request and never finish it.
            for (int i = 0; i < idle.size(); i += 2) {
                idle.get(i).getOutputStream().write("GET /api/v1/status HTTP/1.1\r\nHost: 127".getBytes(
                        StandardCharsets.US_ASCII));
            }
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(get("/api/v1/search?q=beach", Map.of()).statusCode()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void queriesOfTheServiceFailTheSameWayAsLocalOnes() {
        ApiClient client = new ApiClient(URI.create(server.url()), null);
        assertThatThrownBy(() -> client.show("0".repeat(64))).isInstanceOf(QueryException.class)
                .hasMessage("no asset with id " + "0".repeat(64))
                .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> client.show("xyz")).isInstanceOf(QueryException.class)
                .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.BAD_REQUEST);
        ApiClient nobody = new ApiClient(URI.create("http://127.0.0.1:" + freePort()), null);
        assertThatThrownBy(nobody::status).isInstanceOf(ApiClient.Unreachable.class);
    }

    @Test
    void theServiceAnswersTheNewQueriesAsThisProcessDoes() throws Exception {
        ApiClient client = new ApiClient(URI.create(server.url()), null);
        SearchFilter folder = new SearchFilter(null, null, null, null, null, "raw_assets", null, List.of(), null, null,
                "a_b");
        for (Question question : List.<Question>of(q -> q.failures(new FailuresQuery(2, 1)),
                q -> q.folders(new FolderQuery(null, null)), q -> q.folders(new FolderQuery("raw_assets", "50%")),
                q -> q.list(new ListQuery(folder, null, 5, 0)))) {
            // As text: a number read back from JSON is an int where this process holds a long.
            assertThat(question.ask(client).toString()).isEqualTo(question.ask(queries).toString());
        }
        assertThatThrownBy(() -> client.folders(new FolderQuery("raw_assets", "gone")))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("no folder gone")
                .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.NOT_FOUND);
    }

    // Helpers

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every live path of every result of a page. */
    private static List<String> livePaths(JsonNode page) {
        List<String> paths = new ArrayList<>();
        page.get("results").forEach(result -> result.get("paths").forEach(path -> paths.add(path.asText())));
        return paths;
    }

    /** One question put to the service or to this process. */
    @FunctionalInterface
    private interface Question {
        JsonNode ask(Queries queries) throws QueryException;
    }

    private record CliRun(int exitCode, String out, String err) {}

    private CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                new CliContext(new HashMap<>(), CLOCK, workspace, false));
        return new CliRun(code, out.toString(), err.toString());
    }

    private JsonNode cliJson(String... args) {
        CliRun run = cli(args);
        assertThat(run.exitCode).as(run.err).isZero();
        return Json.read(run.out);
    }

    private URI url(String path) {
        return URI.create(server.url() + path);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<byte[]> response = get(path, Map.of());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json; charset=utf-8");
        return Json.MAPPER.readTree(response.body());
    }

    private void assertError(String path, int status, String messageStart) throws Exception {
        HttpResponse<byte[]> response = get(path, Map.of());
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json; charset=utf-8");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).as(path).startsWith(messageStart);
    }

    /** Sends bytes as they are (a Host header of our choosing, a malformed request) and reads the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

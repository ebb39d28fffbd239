package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Browser;
import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The web page in a real browser (Debian's headless Chromium) against the packaged jar's watcher
 * on generated media, with a local server standing in for the AI APIs. Screenshots of every page
 * are saved in target/screenshots/.
 */
class WebPageIT {
    private static final String XSS_NAME = "<img src=x onerror=alert(1)>.jpg";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SMALL_THUMBNAILS = "ASSET_INDEX_MEDIA__THUMBNAIL_SIZE";

    @TempDir
    static Path workspace;
    private static FakeAiApi ai;
    private static WatcherProcess watcher;
    private static Browser browser;
    private static String base;
    private static String acceptedId;

    @BeforeAll
    static void startTheDaemonOnRealMedia() throws IOException {
        ai = new FakeAiApi();
        Files.writeString(workspace.resolve("asset-index.yaml"), """
                debounce_seconds: 0.3
                verify: {every_days: 1}
                watch_paths: [raw_assets, jobs]
                jobs_roots: [jobs]
                ai:
                  base_url: %s
                  describe:
                    model: vision-test
                    video_frames: 2
                  transcribe:
                    model: whisper-test
                """.formatted(ai.baseUrl()));
        Path raw = workspace.resolve("raw_assets");
        Ffmpeg.clip(raw.resolve("aerial/drone_over_the_coast.mp4"), 320, 240, 4, true, 1);
        TestMedia.jpeg(raw.resolve("red_kayak_on_lake.jpg"), 640, 480, 2);
        TestMedia.jpeg(raw.resolve(XSS_NAME), 320, 240, 3);
        TestMedia.jpeg(raw.resolve("markup_notes.jpg"), 320, 240, 4);
        TestMedia.wav(raw.resolve("music/calm_piano_music.wav"), 2, 5);
        TestMedia.randomBytes(raw.resolve("broken.jpg"), 4000, 6);
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 8);
        TestMedia.write(raw.resolve("cut_but_wanted.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length * 3 / 4));
        TestMedia.jpeg(workspace.resolve("jobs/ACME-042/take_01.jpg"), 320, 240, 7);
        TestMedia.jpeg(raw.resolve("old_pier.jpg"), 320, 240, 11);
        // Thumbnails of 128 pixels first; the watcher, configured for 256 (the default), makes them again in the
        // background, so a picture has a result under older settings and one under the current ones.
        assertThat(JarRunner.run(workspace, Map.of(SMALL_THUMBNAILS, "128"), "scan").out())
                .contains("2 failed"); // broken.jpg, cut_but_wanted.jpg
        JarRunner.Result accepted = JarRunner.run(workspace, "integrity", "accept", "raw_assets/cut_but_wanted.jpg",
                "--note", "the top three quarters are what we need", "--json");
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        acceptedId = Json.read(accepted.out()).path("content_hash").asText();
        rotBehindItsMtime(raw.resolve("old_pier.jpg"));
        watcher = WatcherProcess.startWatching(workspace);
        base = watcher.apiUrl().toString();
        browser = Browser.open(1280, 900);
    }

    /**
     * Makes an indexed photo look indexed two days ago (so the watcher's re-verification reads it
     * at start) and changes its bytes with its mtime put back.
     */
    private static void rotBehindItsMtime(Path photo) throws IOException {
        SqliteFile.execute(workspace.resolve(".asset_index/index.db"), "UPDATE asset_paths SET first_seen_at ="
                + " strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') WHERE rel_path = ?", photo.getFileName().toString());
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(photo);
        byte[] bytes = Files.readAllBytes(photo);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(photo, bytes);
        Files.setLastModifiedTime(photo, mtime);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (ai != null) {
            ai.close();
        }
    }

    @Test
    void aQueryFindsTheFileWhosePageShowsItsFactsAndPlaysIt() {
        open("/");
        WebElement box = browser.until(5, d -> d.findElement(By.id("q")));
        // The box is there before the first results are: wait for their mark rather than read it too soon.
        double ready = browser.until(5, d -> browser.<Number>script(
                "const mark = performance.getEntriesByName('results-shown')[0]; return mark ? mark.startTime : null"))
                .doubleValue();
        box.sendKeys("drone over the coast", Keys.ENTER);
        browser.until(10, d -> firstResultName().equals("drone_over_the_coast.mp4"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/?q=drone+over+the+coast");
        awaitThumbnails();
        browser.screenshot("search");

        browser.driver().findElement(By.cssSelector("#results a.card")).click();
        browser.until(10, d -> d.findElement(By.cssSelector("h1.asset-title")).getText()
                .contains("drone_over_the_coast.mp4"));
        browser.until(10, d -> !d.findElements(By.cssSelector("#similar a.card")).isEmpty());
        String facts = browser.driver().findElement(By.cssSelector("dl.facts")).getText();
        assertThat(facts).contains("Dimensions\n320 × 240").contains("Duration\n0:04").contains("Video codec\nh264")
                .contains("Audio codec\naac");
        assertThat(browser.driver().findElement(By.cssSelector(".summary-text")).getText())
                .isEqualTo("It shows drone over the coast.");
        assertThat(browser.driver().findElement(By.cssSelector("ol.transcript")).getText()).contains("Hello from part");
        assertThat(browser.driver().findElement(By.cssSelector("ul.paths")).getText())
                .contains("raw_assets/aerial/drone_over_the_coast.mp4");

        // It plays (the Range route), and a scene's time seeks it.
        browser.script("const v = document.querySelector('video'); v.muted = true; v.play();");
        browser.until(10, d -> browser.<Number>script("return document.querySelector('video').currentTime")
                .doubleValue() > 0.3);
        browser.driver().findElement(By.xpath("//section[h2='Scenes']//button[text()='0:02.0']")).click();
        browser.until(10, d -> browser.<Number>script("return document.querySelector('video').currentTime")
                .doubleValue() >= 2.0);
        browser.script("document.querySelector('video').pause()");
        browser.screenshot("asset");
        System.out.printf("start page: results shown %.0f ms after navigation started%n", ready);
        assertThat(ready).isLessThan(3_000); // the figure is measured in WebBenchmark; this only catches a hang
    }

    @Test
    void anAcceptedFileSaysWhoAcceptedItAndWhy() {
        open("/asset/" + acceptedId);
        browser.until(10, d -> text("h1.asset-title").contains("cut_but_wanted.jpg"));
        String integrity = browser.driver().findElement(By.xpath("//section[h2='Integrity']")).getText();
        assertThat(integrity).contains("damaged").contains("Accepted as good by " + System.getProperty("user.name"))
                .contains("the top three quarters are what we need");
        browser.script("document.querySelector('.accepted').scrollIntoView({block: 'center'})");
        browser.screenshot("asset-accepted");
    }

    @Test
    void anAssetPageSaysWhichSettingsMadeEachResultAndWhichAreOlder() {
        String id = assetId("raw_assets/red_kayak_on_lake.jpg");
        await().atMost(Duration.ofSeconds(20)).until(() -> analysesBy(id, "thumbnail") == 2);

        open("/asset/" + id);

        WebElement list = browser.until(10, d -> d.findElement(By.cssSelector("ul.analysis-settings")));
        browser.script("arguments[0].scrollIntoView({block: 'center'})", list);
        browser.screenshot("asset-settings");
        String older = list.findElement(By.cssSelector("li[data-state=older]")).getText();
        assertThat(older).startsWith("thumbnail").contains("older settings").contains("size=128 quality=85");
        List<String> current = list.findElements(By.cssSelector("li[data-state=current]")).stream()
                .map(WebElement::getText).toList();
        assertThat(current).anySatisfy(row -> assertThat(row).startsWith("thumbnail").contains("size=256"))
                .anySatisfy(row -> assertThat(row).startsWith("probe").contains("current").contains("version=2"))
                .anySatisfy(row -> assertThat(row).startsWith("describe").contains("model=vision-test"));
    }

    @Test
    void backAndForwardKeepTheQuery() {
        open("/");
        WebElement box = browser.until(5, d -> d.findElement(By.id("q")));
        box.sendKeys("red kayak", Keys.ENTER);
        browser.until(10, d -> firstResultName().equals("red_kayak_on_lake.jpg"));
        box.clear();
        box.sendKeys("drone over the coast", Keys.ENTER);
        browser.until(10, d -> firstResultName().equals("drone_over_the_coast.mp4"));

        browser.driver().navigate().back();
        browser.until(10, d -> firstResultName().equals("red_kayak_on_lake.jpg"));
        assertThat(box.getDomProperty("value")).isEqualTo("red kayak");
        browser.driver().navigate().forward();
        browser.until(10, d -> firstResultName().equals("drone_over_the_coast.mp4"));
        assertThat(box.getDomProperty("value")).isEqualTo("drone over the coast");

        browser.driver().navigate().refresh();
        browser.until(10, d -> firstResultName().equals("drone_over_the_coast.mp4"));
    }

    @Test
    void browsingShowsFacetsWhoseLinksNarrowTheListAndNoneBesideAQuery() {
        open("/");
        WebElement job = browser.until(10, d -> d.findElement(By.cssSelector("#facets a[href='/?job=ACME-042']")));
        assertThat(job.getText()).contains("ACME-042").contains("1");
        assertThat(text("#facets")).contains("Type").contains("image").contains("Watch path").contains("raw_assets");
        job.click();
        browser.until(10, d -> firstResultName().equals("take_01.jpg"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/?job=ACME-042");
        browser.until(10, d -> !d.findElements(By.cssSelector("#facets .chip[aria-current]")).isEmpty());
        browser.screenshot("facets");

        open("/?q=" + java.net.URLEncoder.encode("red kayak", java.nio.charset.StandardCharsets.UTF_8));
        browser.until(10, d -> firstResultName().equals("red_kayak_on_lake.jpg"));
        assertThat(text("#facets")).isEmpty();
    }

    @Test
    void namesAndSummariesHoldingMarkupAreShownAsText() {
        open("/?q=" + java.net.URLEncoder.encode("img src onerror alert", java.nio.charset.StandardCharsets.UTF_8)
                + "&type=image");
        browser.until(10, d -> d.findElements(By.cssSelector("#results .name")).stream()
                .anyMatch(name -> name.getText().equals(XSS_NAME)));
        assertNoAlert();
        assertThat(browser.<Number>script("return document.querySelectorAll('#results img:not([src*=\"/api/\"])').length")
                .intValue()).isZero();
        browser.driver().findElements(By.cssSelector("#results a.card")).stream()
                .filter(card -> card.getText().contains(XSS_NAME)).findFirst().orElseThrow().click();
        browser.until(10, d -> d.findElement(By.cssSelector("h1.asset-title")).getText().equals(XSS_NAME));
        assertNoAlert();

        open("/asset/" + assetId("raw_assets/markup_notes.jpg"));
        WebElement summary = browser.until(10, d -> d.findElement(By.cssSelector(".summary-text")));
        assertThat(summary.getText()).isEqualTo("<img src=x onerror=alert(2)><b>bold</b> markup");
        assertThat(summary.findElements(By.xpath("./*"))).isEmpty();
        assertNoAlert();
    }

    @Test
    void aDroppedFileShowsOnTheStatusPageAndInSearchWithoutAReload() throws IOException {
        open("/status");
        browser.until(10, d -> text("#status-facts").contains("Assets"));
        browser.script("window.stillTheSamePage = true;");
        browser.screenshot("status");
        TestMedia.jpeg(workspace.resolve("raw_assets/green_tent_in_forest.jpg"), 400, 300, 8);
        browser.until(15, d -> text("#status-facts").contains("green_tent_in_forest.jpg"));

        browser.driver().findElement(By.cssSelector("nav a[data-nav=search]")).click();
        WebElement box = browser.until(5, d -> d.findElement(By.id("q")));
        box.sendKeys("green tent in forest", Keys.ENTER);
        browser.until(10, d -> firstResultName().equals("green_tent_in_forest.jpg"));
        assertThat(browser.<Boolean>script("return window.stillTheSamePage === true")).isTrue();
    }

    @Test
    void bitRotFoundByTheScheduledPassIsOnTheStatusPage() {
        open("/status");
        browser.until(20, d -> text("#status-live").contains("Bit rot: 1 file"));
        assertThat(text("#bit-rot")).contains("raw_assets/old_pier.jpg");
        assertThat(text("#status-facts")).contains("Re-verificationidle (every day)");
        browser.until(10, d -> runRow("verification") != null);
        assertThat(runRow("verification").get(12)).as("bit rot found by the pass").isEqualTo("1");
        browser.script("document.getElementById('bit-rot').scrollIntoView({block: 'center'})");
        browser.screenshot("status-bit-rot");
    }

    @Test
    void theStatusPageListsTheRecentRunsWithWhatEachFound() {
        open("/status");
        browser.until(10, d -> runRow("scan-on-start") != null && runRow("scan") != null);
        assertThat(runRows().get(0)).containsExactly("Started", "Kind", "Status", "Took", "Paths", "Seen", "Indexed",
                "Skipped", "Failed", "Deleted", "Corrupt", "Warnings", "Bit rot");
        List<String> scan = runRow("scan");
        assertThat(scan.subList(1, 3)).containsExactly("scan", "ok");
        assertThat(scan.get(3)).matches("\\d+\\.\\d s");
        assertThat(scan.get(4)).isEqualTo("raw_assets, jobs");
        assertThat(scan.subList(5, 13)).containsExactly("9", "7", "0", "2", "0", "1", "0", "0");
        List<String> onStart = runRow("scan-on-start");
        assertThat(onStart.get(2)).isEqualTo("ok");
        assertThat(onStart.subList(5, 7)).as("seen, and none new").containsExactly("9", "0");
        browser.script("document.getElementById('recent-runs').scrollIntoView()");
        browser.screenshot("status-runs");
    }

    /** The cells of every row of the recent runs, the header first, read at once: the table is redrawn every 1.5 s. */
    private static List<List<String>> runRows() {
        return browser.script("return [...document.querySelectorAll('#recent-runs tr')]"
                + ".map(row => [...row.cells].map(cell => cell.textContent))");
    }

    /** The cells of the newest run of this kind, or null. */
    private static List<String> runRow(String kind) {
        return runRows().stream().filter(row -> row.size() > 1 && row.get(1).equals(kind)).findFirst().orElse(null);
    }

    @Test
    void aCorruptFileIsOnFailuresAndTryAgainMakesANewAttempt() throws Exception {
        open("/failures");
        browser.until(10, d -> text("#failures").contains("raw_assets/broken.jpg"));
        browser.screenshot("failures");
        int before = attempts("raw_assets/broken.jpg");
        browser.driver().findElement(By.id("retry")).click();
        browser.until(10, d -> d.findElement(By.id("retry-status")).getText().startsWith("Trying 1 again"));
        await().atMost(Duration.ofSeconds(15)).until(() -> attempts("raw_assets/broken.jpg") == before + 1);
        browser.until(10, d -> text("#failures").contains("raw_assets/broken.jpg"));
    }

    @Test
    void foldersShowWatchPathsJobsAndWhatAFolderHolds() {
        open("/folders");
        browser.until(10, d -> d.findElement(By.id("folders")).getText().contains("raw_assets"));
        browser.driver().findElement(By.xpath("//a[contains(@class,'folder')][.//span[text()='jobs']]")).click();
        WebElement job = browser.until(10, d -> d.findElement(By.xpath(
                "//a[contains(@class,'folder')][.//span[text()='ACME-042']]")));
        assertThat(job.getText()).contains("job").contains("1 asset");
        job.click();
        browser.until(10, d -> firstResultName().equals("take_01.jpg"));

        open("/folders?root=raw_assets");
        browser.until(10, d -> d.findElement(By.id("folders")).getText().contains("aerial"));
        awaitThumbnails();
        browser.screenshot("folders");
    }

    @Test
    void thePageWeighsLittleAndWorksAtPhoneWidth() {
        // A browser that never saw the page: every file comes over the network and is counted.
        try (Browser fresh = Browser.open(1280, 900)) {
            fresh.driver().get(base + "/");
            fresh.until(10, d -> fresh.<Boolean>script("return performance.getEntriesByName('results-shown').length > 0"));
            long bytes = fresh.<Number>script("""
                    const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
                    return entries.filter(e => !/\\/api\\/v1\\/assets\\/[^/]+\\/(thumbnail|file)/.test(e.name))
                        .reduce((sum, e) => sum + e.encodedBodySize, 0);""").longValue();
            System.out.printf("page weight without thumbnails: %d bytes%n", bytes);
            assertThat(bytes).as("the page, its scripts and styles, and the first answer").isBetween(10_000L, 200_000L);
        }

        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
        open("/");
        browser.until(10, d -> !d.findElements(By.cssSelector("#results a.card")).isEmpty());
        long overflow = browser.<Number>script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth").longValue();
        assertThat(overflow).as("no sideways scrolling at 360 px").isLessThanOrEqualTo(0);
        awaitThumbnails();
        browser.screenshot("search-360px");
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }

    /** The text of an element, read in one step (the page may redraw it at any moment). */
    private static String text(String css) {
        return browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
    }

    private static void open(String path) {
        browser.driver().get(base + path);
    }

    private static String firstResultName() {
        // Read in one step: the grid may be redrawn between finding an element and reading it.
        return browser.script("const n = document.querySelector('#results a.card .name'); return n ? n.textContent : '';");
    }

    /** Every picture tile has loaded a thumbnail (naturalWidth > 0); audio tiles have none. */
    private static void awaitThumbnails() {
        browser.until(10, d -> browser.<Boolean>script("""
                const images = [...document.querySelectorAll('#results img')];
                return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0);"""));
    }

    private static void assertNoAlert() {
        try {
            browser.driver().switchTo().alert();
            throw new AssertionError("a script from a file name or a summary ran");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    private static String assetId(String path) {
        return Json.read(JarRunner.run(workspace, "show", path, "--json", "--local").out()).at("/asset/id").asText();
    }

    /** How many results of {@code analyzer} the asset's document holds. */
    private static int analysesBy(String id, String analyzer) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/assets/" + id))
                .build(), HttpResponse.BodyHandlers.ofString());
        int count = 0;
        for (JsonNode analysis : Json.read(response.body()).path("analyses")) {
            count += analysis.path("analyzer").asText().equals(analyzer) ? 1 : 0;
        }
        return count;
    }

    private static int attempts(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/log?limit=1000"))
                .build(), HttpResponse.BodyHandlers.ofString());
        int count = 0;
        for (JsonNode entry : Json.read(response.body()).path("entries")) {
            count += entry.path("file_path").asText().equals(path) ? 1 : 0;
        }
        return count;
    }
}

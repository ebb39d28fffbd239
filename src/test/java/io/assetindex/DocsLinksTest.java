package io.assetindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.MarkdownPage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the documentation's links working as pages move: every relative link of README.md,
 * docs/ and the other Markdown files of the repository names a file or folder of the
 * repository, and every {@code #anchor} a heading of the page it points to, by GitHub's rule.
 */
class DocsLinksTest {
    static final Path REPOSITORY = Path.of("");
    /** Where the repository's Markdown lives; a workspace's raw_assets/ and .asset_index/ are not walked. */
    static final List<String> DOCUMENTED_PLACES = List.of("README.md", "docs", ".asset_index.example", "config", "packaging", "src");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @TempDir
    Path dir;

    @Test
    void everyRelativeLinkAndAnchorInTheDocsResolves() throws IOException {
        List<Path> pages = markdownFiles(REPOSITORY);
        assertThat(pages).contains(Path.of("README.md"));

        assertThat(brokenLinks(REPOSITORY, pages)).isEmpty();
    }

    @Test
    void aMissingFileAWrongAnchorAndALinkOutOfTheRepositoryAreEachReportedWithPageAndLine() throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/watcher.md"), "# The watcher\n\n## Unmounted disks\n\n### Logs: what they say\n");
        Files.writeString(dir.resolve("README.md"), """
                # Front page

                See [the watcher](docs/watcher.md), [unmounted disks](docs/watcher.md#unmounted-disks),
                [logs](docs/watcher.md#logs-what-they-say), [here](#front-page) and [the web](https://example.org/x.md).
                A [gone page](docs/operations.md) and a [stale anchor](docs/watcher.md#the-index).
                `[in code](docs/nothing.md)` and a code span that wraps `[across
                lines](docs/nothing.md)` are not links.

                ```sh
                echo "[in a block](docs/nothing.md)"
                ```
                [outside](../../etc/passwd) [own anchor](#tour)
                """);

        assertThat(brokenLinks(dir, markdownFiles(dir))).containsExactly(
                "README.md:5: docs/operations.md: no such file",
                "README.md:5: docs/watcher.md#the-index: no heading with anchor 'the-index' in docs/watcher.md",
                "README.md:12: ../../etc/passwd: points outside the repository",
                "README.md:12: #tour: no heading with anchor 'tour' in README.md");
    }

    @Test
    void anchorsAreMadeFromHeadingsByGitHubsRule() {
        assertThat(MarkdownPage.anchorOf("Keeping an index healthy")).isEqualTo("keeping-an-index-healthy");
        assertThat(MarkdownPage.anchorOf("systemd, system-wide")).isEqualTo("systemd-system-wide");
        assertThat(MarkdownPage.anchorOf("`backup` and `restore`")).isEqualTo("backup-and-restore");
        assertThat(MarkdownPage.anchorOf("The launcher: JVM options & memory")).isEqualTo("the-launcher-jvm-options--memory");
        assertThat(MarkdownPage.anchorOf("state.json and process_log")).isEqualTo("statejson-and-process_log");
        assertThat(MarkdownPage.anchorOf("See [Search](search.md)")).isEqualTo("see-search");

        MarkdownPage page = MarkdownPage.parse(Path.of("a.md"), "# Notes\n\n## Notes\n\n```\n# not a heading\n```\n## Notes\n");
        assertThat(page.anchors()).containsExactly("notes", "notes-1", "notes-2");
    }

    /** .ci/run runs the README's test command; the README must keep showing it. */
    @Test
    void theReadmeShowsTheTestCommandThatCiRuns() throws IOException {
        List<String> ciLines = Files.readAllLines(Path.of(".ci/run"));
        String ciCommand = ciLines.get(ciLines.size() - 1).strip();
        assertThat(ciCommand).isEqualTo("mvn verify");

        assertThat(Files.readAllLines(Path.of("README.md"))).contains(ciCommand);
    }

    static List<Path> markdownFiles(Path repository) throws IOException {
        List<Path> pages = new ArrayList<>();
        for (String place : DOCUMENTED_PLACES) {
            Path start = repository.resolve(place);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(start)) {
                files.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f))
                        .map(repository::relativize).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    /** One line per broken link, "page:line: target: what is wrong", in page order. */
    static List<String> brokenLinks(Path repository, List<Path> pages) throws IOException {
        Path root = repository.toAbsolutePath().normalize();
        Map<Path, MarkdownPage> read = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            MarkdownPage source = read.computeIfAbsent(root.resolve(page).normalize(), DocsLinksTest::readPage);
            for (MarkdownPage.Link link : source.links()) {
                String problem = problemWith(link.target(), root, source, read);
                if (problem != null) {
                    problems.add(page + ":" + link.line() + ": " + link.target() + ": " + problem);
                }
            }
        }
        return problems;
    }

    private static String problemWith(String target, Path root, MarkdownPage source, Map<Path, MarkdownPage> read) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = URLDecoder.decode((hash < 0 ? target : target.substring(0, hash)).replace("+", "%2B"), StandardCharsets.UTF_8);
        Path resolved = file.isEmpty() ? source.file() : source.file().getParent().resolve(file).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash < 0 || !resolved.toString().endsWith(".md")) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        MarkdownPage linked = read.computeIfAbsent(resolved, DocsLinksTest::readPage);
        return linked.anchors().contains(anchor) ? null
                : "no heading with anchor '" + anchor + "' in " + root.relativize(resolved);
    }

    private static MarkdownPage readPage(Path file) {
        try {
            return MarkdownPage.read(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}

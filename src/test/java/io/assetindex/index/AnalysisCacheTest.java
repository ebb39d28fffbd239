package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis cache: no analyzer runs twice for the same content and settings; a changed one re-runs alone. */
class AnalysisCacheTest {
    @TempDir
    Path workspace;

    private Path database;
    private IndexStore store;
    private WatchRoot root;

    @BeforeEach
    void open() throws IOException {
        database = workspace.resolve(".asset_index/index.db");
        store = IndexStore.open(database, 3, Clock.systemUTC());
        root = new WatchRoot("raw_assets", Files.createDirectories(workspace.resolve("raw_assets")), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private final class Chain {
        final CountingAnalyzer probe = new CountingAnalyzer(new ProbeAnalyzer(Ffmpeg.TOOLS));
        final CountingAnalyzer integrity = new CountingAnalyzer(new IntegrityAnalyzer(Ffmpeg.TOOLS, false));
        final CountingAnalyzer thumbnail;
        final AnalyzerChain chain;

        Chain(int thumbnailSize) {
            thumbnail = new CountingAnalyzer(new ThumbnailAnalyzer(Ffmpeg.TOOLS, workspace.resolve(".asset_index"),
                    thumbnailSize, 85));
            chain = new AnalyzerChain(List.of(probe, integrity, thumbnail));
        }

        FileOutcome index(Path file, MediaType type) throws IOException {
            FileIndexer indexer = new FileIndexer(store, chain, new Sha256Hasher(), Clock.systemUTC());
            return indexer.index(new FileCandidate(root, file, root.relativeName(file), type, Files.size(file),
                    Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS)), false);
        }

        int calls() {
            return probe.calls() + integrity.calls() + thumbnail.calls();
        }
    }

    private void someMedia(Chain chain) throws IOException {
        chain.index(TestMedia.jpeg(root.dir().resolve("a.jpg"), 640, 480, 1), MediaType.IMAGE);
        chain.index(TestMedia.jpeg(root.dir().resolve("b.jpg"), 640, 480, 2), MediaType.IMAGE);
        chain.index(Ffmpeg.clip(root.dir().resolve("c.mp4"), 320, 240, 1.0, true, 3), MediaType.VIDEO);
        chain.index(Ffmpeg.taggedMp3(root.dir().resolve("d.mp3"), 1.0, "title", "d"), MediaType.AUDIO);
    }

    @Test
    void changingOneAnalyzersSettingsReRunsThatAnalyzerOnly() throws IOException {
        Chain before = new Chain(256);
        someMedia(before);
        assertThat(before.thumbnail.calls()).isEqualTo(3);
        Map<String, Object> videoBefore = SqliteFile.rows(database, "SELECT width, height, duration_seconds, fps"
                + " FROM assets WHERE file_name = 'c.mp4'").get(0);

        Chain after = new Chain(128);
        Reanalyzer.Summary summary = new Reanalyzer(store, after.chain, Clock.systemUTC()).run(Reanalyzer.Listener.NONE);

        assertThat(summary.reanalyzed()).isEqualTo(3);
        assertThat(after.thumbnail.calls()).as("every image and video, nothing else").isEqualTo(3);
        assertThat(after.probe.calls() + after.integrity.calls()).isZero();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM derived_files WHERE size = 128")).isEqualTo(3);
        assertThat(SqliteFile.rows(database, "SELECT width, height, duration_seconds, fps FROM assets"
                + " WHERE file_name = 'c.mp4'").get(0)).isEqualTo(videoBefore);
        assertThat((String) SqliteFile.value(database, "SELECT raw_json FROM assets WHERE file_name = 'a.jpg'"))
                .contains("\"size\":128").contains("\"probe\"").contains("\"integrity\"");

        Chain again = new Chain(128);
        assertThat(new Reanalyzer(store, again.chain, Clock.systemUTC()).run(Reanalyzer.Listener.NONE).reanalyzed())
                .isZero();
        assertThat(again.calls()).as("nothing changed: nothing runs").isZero();
    }

    @Test
    void sameContentAnywhereCallsNoAnalyzer() throws IOException {
        Chain chain = new Chain(256);
        someMedia(chain);
        int calls = chain.calls();
        Path copies = Files.createDirectories(root.dir().resolve("copies"));
        for (String name : List.of("a.jpg", "c.mp4", "d.mp3")) {
            Files.copy(root.dir().resolve(name), copies.resolve(name));
        }

        Chain fresh = new Chain(256);
        assertThat(fresh.index(copies.resolve("a.jpg"), MediaType.IMAGE).kind()).isEqualTo(FileOutcome.Kind.LINKED);
        fresh.index(copies.resolve("c.mp4"), MediaType.VIDEO);
        fresh.index(copies.resolve("d.mp3"), MediaType.AUDIO);

        assertThat(fresh.calls()).isZero();
        assertThat(chain.calls()).isEqualTo(calls);
    }

    @Test
    void corruptContentIsJudgedOnceAndTheVerdictCanBeQueried() throws IOException {
        Path clip = Ffmpeg.faststart(Ffmpeg.clip(workspace.resolve("full.mp4"), 640, 360, 3.0, true, 4),
                workspace.resolve("fs.mp4"));
        Path cut = Ffmpeg.truncated(clip, root.dir().resolve("cut.mp4"), 0.6);
        Chain first = new Chain(256);
        FileOutcome failed = first.index(cut, MediaType.VIDEO);

        assertThat(failed.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(failed.stage()).isEqualTo("integrity");
        assertThat(failed.error()).startsWith("corrupt: ").contains("partial file");
        assertThat(SqliteFile.rows(database, "SELECT corrupt, tool, mode FROM integrity_checks WHERE content_hash = ?",
                failed.contentHash())).containsExactly(Map.of("corrupt", 1, "tool", "ffprobe", "mode", "demux"));
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isZero();

        Path again = Files.copy(cut, root.dir().resolve("cut-again.mp4"));
        Chain second = new Chain(256);
        FileOutcome judged = second.index(again, MediaType.VIDEO);
        assertThat(judged.kind()).isEqualTo(FileOutcome.Kind.FAILED);
        assertThat(second.integrity.calls()).as("the cached verdict is used").isZero();
    }
}

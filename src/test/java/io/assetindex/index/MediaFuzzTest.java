package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.config.WatchRoot;
import io.assetindex.scan.Indexing;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.MediaMutations;
import io.assetindex.testing.ProcessMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Mutation fuzzing of the whole per-file pipeline (probe, integrity, thumbnail, embedding, store)
 * with Jazzer, over real files of every supported format ({@link MediaMutations}). Jazzer's data
 * chooses the file and the damage (fields set to extremes, lengths, truncation, bit flips ...),
 * guided by the code it reaches in asset-index and metadata-extractor. For each variant the indexer
 * must end in an outcome without throwing past its failure boundary, a failure must say why, and
 * the process must stay within {@link #MAX_RSS_BYTES}.
 *
 * <p>{@code mvn test} runs it on a few inputs (the ones in {@code MediaFuzzTestInputs/}, and any a
 * past run found); the {@code fuzz} execution in the pom fuzzes for a minute with {@code -Xmx256m},
 * like the daemon; {@code mvn test-compile surefire:test@fuzz -Djazzer.max_duration=30m} fuzzes longer.
 */
class MediaFuzzTest {
    static final long MAX_RSS_BYTES = 1L << 30;

    private static Fixture fixture;

    /** One workspace and index for the whole run: each input is a new file in it. */
    private record Fixture(AppConfig config, WatchRoot root, IndexStore store, FileIndexer indexer, AtomicLong next) {
        static Fixture create() {
            try {
                Path workspace = Files.createTempDirectory("media-fuzz");
                Files.createDirectories(workspace.resolve("raw_assets"));
                AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
                IndexStore store = IndexStore.open(config.workspace().databaseFile(), 3, Clock.systemUTC());
                Indexing indexing = Indexing.create(config, store, Clock.systemUTC(), name -> null);
                return new Fixture(config, config.watchRoots().get(0), store, indexing.indexer(), new AtomicLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterAll
    static void closeIndex() {
        if (fixture != null) {
            fixture.store().close();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void indexingAnyBytesEndsInAnOutcomeWithinTheMemoryCap(FuzzedDataProvider data) throws IOException {
        if (fixture == null) {
            fixture = Fixture.create();
        }
        MediaMutations.Mutant mutant = MediaMutations.mutate(bound -> data.consumeInt(0, bound - 1));
        String extension = mutant.extension();
        byte[] bytes = mutant.bytes();
        Path file = fixture.root().dir().resolve("input-" + fixture.next().incrementAndGet() + "." + extension);
        Files.write(file, bytes);
        try {
            FileOutcome outcome = fixture.indexer().index(new FileCandidate(fixture.root(), file,
                    fixture.root().relativeName(file), fixture.config().mediaTypeByExtension().get(extension), bytes.length,
                    Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS)), false);
            assertThat(outcome.kind()).isIn(EnumSet.of(FileOutcome.Kind.INDEXED, FileOutcome.Kind.LINKED,
                    FileOutcome.Kind.SKIPPED, FileOutcome.Kind.FAILED));
            if (outcome.kind() == FileOutcome.Kind.FAILED) {
                assertThat(outcome.error()).as("a failure says why").isNotBlank()
                        .doesNotContain("internal error");
            }
        } finally {
            Files.deleteIfExists(file);
        }
        ProcessMemory.residentBytes().ifPresent(rss -> assertThat(rss).as("resident memory").isLessThan(MAX_RSS_BYTES));
    }
}

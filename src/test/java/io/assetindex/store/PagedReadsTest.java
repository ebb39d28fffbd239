package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reads that page through a whole root or every result of an analyzer, so callers hold one page at a time. */
class PagedReadsTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.parse("2026-05-01T10:00:00Z");

    private IndexStore open() {
        return IndexStore.open(dir.resolve(".asset_index/index.db"), 2, Clock.systemUTC());
    }

    private static String id(int n) {
        return String.format("%064x", n);
    }

    private void asset(IndexStore store, int n, String relPath, String thumbnail) {
        String id = id(n);
        List<AnalysisRecord> analyses = thumbnail == null ? List.of()
                : List.of(new AnalysisRecord("thumbnail", "sha256:t", "{\"path\":\"" + thumbnail + "\"}", 1));
        store.recordNewAsset(new NewAsset(id, relPath, "/w/raw/" + relPath, "raw", null, MediaType.IMAGE, 10, 1.0,
                Map.of(), "{}"), analyses, null, new PathRecord("raw", relPath, "/w/raw/" + relPath, null, id, 10, 1),
                LogEntry.ok("raw/" + relPath, id, "new content", 1, now), LogEntry.ok("raw/" + relPath, id, "known", 1, now));
    }

    @Test
    void livePathsPageThroughARootInPathOrderLeavingOutDeletedOnes() {
        try (IndexStore store = open()) {
            List<String> names = List.of("b/2.jpg", "a.jpg", "b/1.jpg", "c.jpg", "b.jpg", "gone.jpg");
            for (int i = 0; i < names.size(); i++) {
                asset(store, i + 1, names.get(i), null);
            }
            store.markDeleted("raw", List.of("gone.jpg"), now.plusSeconds(60));
            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String after = "";
            for (List<KnownPath> page = store.livePaths("raw", after, 2); !page.isEmpty();
                    page = store.livePaths("raw", after, 2)) {
                page.forEach(path -> seen.add(path.relPath()));
                pageSizes.add(page.size());
                after = page.get(page.size() - 1).relPath();
            }
            assertThat(seen).containsExactly("a.jpg", "b.jpg", "b/1.jpg", "b/2.jpg", "c.jpg");
            assertThat(pageSizes).containsExactly(2, 2, 1);
            assertThat(store.liveTotals("raw")).containsExactly(5, 50);
            assertThat(store.liveTotals("elsewhere")).containsExactly(0, 0);
        }
    }

    @Test
    void derivedFilesPageThroughEveryRecordedFileOnce() {
        try (IndexStore store = open()) {
            for (int n = 1; n <= 5; n++) {
                asset(store, n, n + ".jpg", n == 3 ? null : "thumbs/0" + n + "/t" + n + ".jpg");
            }
            List<String> seen = new ArrayList<>();
            DerivedFile after = null;
            for (List<DerivedFile> page = store.derivedFiles("thumbnail", null, 3); !page.isEmpty();
                    page = store.derivedFiles("thumbnail", after, 3)) {
                page.forEach(file -> seen.add(file.path()));
                after = page.get(page.size() - 1);
            }
            assertThat(seen).containsExactly("thumbs/01/t1.jpg", "thumbs/02/t2.jpg", "thumbs/04/t4.jpg",
                    "thumbs/05/t5.jpg");
        }
    }

    @Test
    void referencedPathsContainEveryPathAddedAndAlmostNoOther() {
        ReferencedPaths.Builder builder = new ReferencedPaths.Builder();
        for (int i = 0; i < 100_000; i++) {
            builder.add("thumbs/" + Integer.toHexString(i % 256) + "/" + i + ".jpg");
        }
        builder.add("thumbs/0/0.jpg"); // twice: held once
        ReferencedPaths paths = builder.build();
        assertThat(paths.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(paths.mayContain("thumbs/" + Integer.toHexString(i % 256) + "/" + i + ".jpg")).isTrue();
        }
        int falsePositives = 0;
        for (int i = 100_000; i < 200_000; i++) {
            falsePositives += paths.mayContain("thumbs/" + Integer.toHexString(i % 256) + "/" + i + ".jpg") ? 1 : 0;
        }
        assertThat(falsePositives).isZero();
    }
}

package io.assetindex.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.config.WatchRoot;
import io.assetindex.store.IndexDatabase;
import io.assetindex.testing.SqliteFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two passes of an import against files that change between them, on a real SQLite index. */
class IndexImportTest {
    @TempDir
    Path workspace;

    private Path dataDir;
    private IndexImport importer;

    @BeforeEach
    void workspaceWithOneWatchPath() {
        dataDir = workspace.resolve(".asset_index");
        importer = new IndexImport(dataDir,
                List.of(new WatchRoot("raw_assets", workspace.resolve("raw_assets"), false)),
                new IndexImport.EmbeddingTarget("sha256:configured", 384), Clock.systemUTC());
    }

    /** An export of {@code count} small images, named {@code prefix<n>.jpg}. */
    private static List<String> export(int count, String prefix) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"format\":\"asset-index-export\",\"version\":1,\"embedding_model\":null,\"thumbnails\":false}");
        for (int i = 0; i < count; i++) {
            lines.add(("{\"type\":\"asset\",\"asset\":{\"id\":\"%064x\",\"file_name\":\"%s%d.jpg\",\"media_type\":\"image\","
                    + "\"size_bytes\":10,\"mtime\":1.7E9,\"indexed_at\":\"2026-01-01T00:00:00.000Z\"},\"paths\":[{"
                    + "\"source_root\":\"raw_assets\",\"rel_path\":\"%s%d.jpg\",\"size_bytes\":10,\"mtime_ns\":1}],"
                    + "\"analyses\":[],\"embedding\":null,\"thumbnail\":null}").formatted(i + 1, prefix, i, prefix, i));
        }
        lines.add("{\"type\":\"end\",\"assets\":" + count + "}");
        return lines;
    }

    private IndexDatabase database() {
        return IndexDatabase.open(dataDir.resolve("index.db"), 2, Clock.systemUTC());
    }

    private long assets() {
        return SqliteFile.count(dataDir.resolve("index.db"), "SELECT count(*) FROM assets");
    }

    @Test
    void aFileRenamedOverTheExportAfterItsCheckIsNotRead() throws IOException {
        Path file = Files.write(workspace.resolve("export.jsonl"), export(3, "checked"));
        Path other = Files.write(workspace.resolve("other.jsonl"), export(5, "unchecked"));

        try (IndexImport.Checked checked = importer.check(file); IndexDatabase database = database()) {
            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(importer.merge(checked, database, IndexImport.Listener.NONE).assets()).isEqualTo(3);
        }
        assertThat(SqliteFile.rows(dataDir.resolve("index.db"), "SELECT file_name FROM assets"))
                .allMatch(row -> row.get("file_name").toString().startsWith("checked"));
    }

    @Test
    void aFileChangedInPlaceAfterItsCheckStopsBeforeTheChangedBatchIsWritten() throws IOException {
        Path file = Files.write(workspace.resolve("export.jsonl"), export(250, "a"));
        // Still valid, only different: only the checksum of its batch (the second) can tell.
        long offset = Files.readString(file).indexOf("\"file_name\":\"a230.jpg\"") + "\"file_name\":\"".length();

        try (IndexImport.Checked checked = importer.check(file); IndexDatabase database = database()) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap("b".getBytes(StandardCharsets.UTF_8)), offset);
            }

            assertThatThrownBy(() -> importer.merge(checked, database, IndexImport.Listener.NONE))
                    .isInstanceOf(MaintenanceException.class)
                    .hasMessageContaining("changed while it was being imported")
                    .hasMessageContaining("the first 200 assets, as checked, were merged");
        }
        assertThat(assets()).isEqualTo(200);
        assertThat(SqliteFile.count(dataDir.resolve("index.db"), "SELECT count(*) FROM assets WHERE file_name = 'b230.jpg'"))
                .isZero();
    }

    @Test
    void everyColumnOfTheAssetsTableHasAnImportRule() {
        try (IndexDatabase database = database()) {
            Set<String> columns = new TreeSet<>();
            SqliteFile.rows(database.file(), "SELECT name FROM pragma_table_info('assets')")
                    .forEach(row -> columns.add((String) row.get("name")));
            Set<String> ruled = new TreeSet<>(ImportedValues.ASSET_COLUMNS.keySet());
            ruled.add("file_path"); // where the file is here: set by the import

            assertThat(ruled).isEqualTo(columns);
        }
    }
}

package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyword index: an FTS5 table ({@code assets_fts}) with one row per asset over its names,
 * folders, jobs, camera and lens, and what analysis found (style, summary, tags, mood, scenes,
 * transcript). Triggers on {@code assets} and {@code asset_paths} keep it: a row is written in the
 * same transaction as the asset, its paths and its re-analysis results, by whichever process
 * writes them. The names are those of the asset's live paths (its first name once it has none);
 * names and folders go in with the words hidden in them ({@link SearchWords}).
 */
final class KeywordIndex {
    /** The same questions asked of PostgreSQL's keyword index. */
    private final PostgresKeywordIndex postgres = new PostgresKeywordIndex();

    /** The indexed columns, in the table's order after {@code id}. */
    static final List<String> COLUMNS = List.of("name", "folder", "job", "camera", "style", "summary", "tags", "mood",
            "scenes", "transcript");
    /** BM25 weights of id (not indexed) and the columns: a word in the name counts most. */
    private static final String WEIGHTS = "0, 10, 4, 8, 6, 2, 3, 4, 2, 2, 2";
    /** The ranking FTS5 sorts by itself (cheaper than an ORDER BY over bm25()). */
    private static final String RANK = "bm25(" + WEIGHTS + ")";
    /** Up to 12 words around the match, marked with [brackets], from the column that matched best. */
    private static final String SNIPPET = "snippet(assets_fts, -1, '[', ']', '…', 12)";

    private static final String LIVE = "FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL";
    /** A relative path's folder part, with its last '/', or '' (rtrim drops every character that is not a '/'). */
    private static final String FOLDER_PART = "rtrim(p.rel_path, replace(p.rel_path, '/', ''))";

    private static final String SOURCE = """
            CREATE VIEW assets_fts_source AS
            SELECT asset_key(a.id) AS key, a.id AS id,
                asset_words(coalesce((SELECT group_concat(DISTINCT substr(p.rel_path, length(%2$s) + 1)) %1$s),
                    a.file_name)) AS name,
                asset_words((SELECT group_concat(DISTINCT CASE p.source_root WHEN '.' THEN '' ELSE p.source_root || '/'
                    END || %2$s) %1$s)) AS folder,
                coalesce((SELECT group_concat(DISTINCT p.job_id) %1$s AND p.job_id IS NOT NULL), a.job_id) AS job,
                CASE WHEN json_valid(a.raw_json) THEN asset_words(concat_ws(' ',
                    json_extract(a.raw_json, '$.probe.camera_make'), json_extract(a.raw_json, '$.probe.camera_model'),
                    json_extract(a.raw_json, '$.probe.lens'))) END AS camera,
                a.style AS style,
                a.summary AS summary,
                %3$s AS tags,
                %4$s AS mood,
                CASE WHEN json_valid(a.scenes_json) AND json_type(a.scenes_json) = 'array' THEN
                    (SELECT group_concat(CASE type WHEN 'object' THEN json_extract(value, '$.description') ELSE value
                    END, ' ') FROM json_each(a.scenes_json)) END AS scenes,
                a.transcript AS transcript
            FROM assets a""".formatted(LIVE, FOLDER_PART, words("a.tags_json"), words("a.mood_json"));

    private static String words(String list) {
        return "CASE WHEN json_valid(" + list + ") AND json_type(" + list + ") = 'array' THEN (SELECT group_concat(value,"
                + " ' ') FROM json_each(" + list + ")) END";
    }

    private static final String INSERT_COLUMNS = "rowid, id, " + String.join(", ", COLUMNS);

    /** The statements that write an asset's row again, for the asset id {@code X}. */
    private static String refresh(String id) {
        return "DELETE FROM assets_fts WHERE rowid = asset_key(" + id + ");\n"
                + "INSERT INTO assets_fts (" + INSERT_COLUMNS + ") SELECT key, id, " + String.join(", ", COLUMNS)
                + " FROM assets_fts_source WHERE id = " + id + ";";
    }

    /** Migration 7: the table, the view it is filled from, the triggers, and the rows of the assets there are. */
    static final List<String> MIGRATION = List.of(
            "CREATE VIRTUAL TABLE assets_fts USING fts5(id UNINDEXED, " + String.join(", ", COLUMNS)
                    + ", tokenize = 'unicode61 remove_diacritics 2')",
            SOURCE,
            // No trigger on a new asset: it is searched once it has a live path, and the path's trigger writes
            // its row then (writing it twice made a first scan slower).
            "CREATE TRIGGER assets_fts_update AFTER UPDATE OF id, file_name, job_id, raw_json, style, summary,"
                    + " tags_json, mood_json, scenes_json, transcript ON assets BEGIN\n"
                    + "DELETE FROM assets_fts WHERE rowid = asset_key(OLD.id);\n" + refresh("NEW.id") + "\nEND",
            "CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN\n"
                    + "DELETE FROM assets_fts WHERE rowid = asset_key(OLD.id);\nEND",
            "CREATE TRIGGER assets_fts_path_insert AFTER INSERT ON asset_paths BEGIN\n" + refresh("NEW.asset_id")
                    + "\nEND",
            "CREATE TRIGGER assets_fts_path_update AFTER UPDATE OF asset_id, deleted_at, source_root, rel_path, job_id"
                    + " ON asset_paths BEGIN\n" + refresh("OLD.asset_id") + "\n" + refresh("NEW.asset_id") + "\nEND",
            "CREATE TRIGGER assets_fts_path_delete AFTER DELETE ON asset_paths BEGIN\n" + refresh("OLD.asset_id")
                    + "\nEND");

    /**
     * Writes every asset's row again, each in one statement, for a writer that had the triggers off
     * (a copy of a whole index): SQLite's from the view its triggers read, PostgreSQL's with the
     * function its triggers call.
     */
    static void refill(Connection connection, Dialect dialect) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM assets_fts");
            if (dialect == Dialect.POSTGRESQL) {
                PostgresKeywordIndex.refill(connection);
                return;
            }
            statement.execute("INSERT INTO assets_fts (" + INSERT_COLUMNS + ") SELECT key, id, " + String.join(", ", COLUMNS)
                    + " FROM assets_fts_source");
        }
    }

    /** How many assets the migration indexes per statement (between two words on its progress). */
    private static final int FILL_BATCH = 5_000;

    /** The rest of migration 7: the rows of the assets there are, in batches of assets in id order. */
    static void fill(Connection connection, Migrations.Progress progress) throws SQLException {
        try (Statement count = connection.createStatement(); ResultSet rs = count.executeQuery("SELECT count(*) FROM assets")) {
            progress.start(rs.next() ? rs.getLong(1) : 0, "assets");
        }
        try (PreparedStatement last = connection.prepareStatement("SELECT max(id) FROM (SELECT id FROM assets WHERE"
                + " id > ? ORDER BY id LIMIT " + FILL_BATCH + ")");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO assets_fts (" + INSERT_COLUMNS
                        + ") SELECT key, id, " + String.join(", ", COLUMNS) + " FROM assets_fts_source WHERE id > ?"
                        + " AND id <= ?")) {
            String after = "";
            long done = 0;
            while (true) {
                last.setString(1, after);
                String upTo;
                try (ResultSet rs = last.executeQuery()) {
                    upTo = rs.next() ? rs.getString(1) : null;
                }
                if (upTo == null) {
                    progress.finished(done);
                    return;
                }
                insert.setString(1, after);
                insert.setString(2, upTo);
                done += insert.executeUpdate();
                progress.done(done);
                after = upTo;
            }
        }
    }

    /**
     * The best {@code limit} assets with a live path that match the FTS5 expression and the
     * filter, best first, without snippets ({@link #matchesAmong} makes those for a page). FTS5
     * ranks every match ({@code rank}, the weighted BM25): the cost grows with the number of
     * matches, about 1 µs each, and with the number of assets that have each word (see
     * {@link #matchesAmong}).
     */
    List<IndexReader.KeywordHit> search(Connection connection, String match, SearchFilter filter, int limit) throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return postgres.search(connection, match, filter, limit);
        }
        FilterSql sql = new FilterSql(filter);
        try (PreparedStatement query = connection.prepareStatement("SELECT f.id, f.rank, NULL FROM assets_fts f"
                + " JOIN assets a ON a.id = f.id WHERE assets_fts MATCH ? AND f.rank MATCH '" + RANK + "' AND "
                + sql.where() + " ORDER BY f.rank LIMIT ?")) {
            query.setString(1, match);
            int next = sql.bindWhere(query, 2);
            query.setInt(next, limit);
            return hits(query);
        }
    }

    /**
     * Those of these assets that match the FTS5 expression, in the order given, each with its
     * snippet. Nothing is ranked: BM25 counts the assets that have each word first, which costs
     * about 0.5 µs per asset that has it (50 ms for a word in 100,000 assets), however few rows it scores.
     */
    List<IndexReader.KeywordHit> matchesAmong(Connection connection, String match, List<String> ids)
            throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return postgres.matchesAmong(connection, match, ids);
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        // Few enough to go in one statement: a search's candidates, a page of results.
        Map<String, IndexReader.KeywordHit> found = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT f.id, 0, " + SNIPPET + " FROM assets_fts f"
                + " WHERE assets_fts MATCH ? AND f.rowid IN (" + Sql.marks(ids.size()) + ")")) {
            query.setString(1, match);
            for (int i = 0; i < ids.size(); i++) {
                query.setLong(i + 2, SearchWords.key(ids.get(i)));
            }
            // A key shared by two ids (a chance of 4e-7 in a million) must not bring in the other one.
            Set<String> wanted = Set.copyOf(ids);
            for (IndexReader.KeywordHit hit : hits(query)) {
                if (wanted.contains(hit.id())) {
                    found.put(hit.id(), hit);
                }
            }
        }
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /** How many assets match the FTS5 expression, counted up to {@code cap} (cheap: nothing is ranked). */
    int countUpTo(Connection connection, String match, int cap) throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return postgres.countUpTo(connection, match, cap);
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM (SELECT rowid FROM assets_fts"
                + " WHERE assets_fts MATCH ? LIMIT ?)")) {
            query.setString(1, match);
            query.setInt(2, cap);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * How many b-trees (segments) the FTS5 index is made of; 0 on PostgreSQL. Every look-up of a
     * word visits each of them: FTS5 merges as it writes, but an index built file by file settles
     * at 15 to 30 (26 at a million assets), which makes matching a word in a few given rows (a
     * page's snippets) about 8 times as slow as in one merged b-tree.
     */
    int segments(Connection connection) throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return 0;
        }
        return (int) Sql.number(connection, "SELECT count(DISTINCT segid) FROM assets_fts_idx");
    }

    /**
     * Merges the FTS5 index's segments, all levels together, writing about {@code pages} pages
     * (FTS5's incremental {@code merge} with a negative argument: the same result as
     * {@code optimize}, a step at a time); returns whether there was anything left to merge.
     */
    boolean mergeStep(Connection connection, int pages) throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return false;
        }
        long before = Sql.number(connection, "SELECT total_changes()");
        try (PreparedStatement merge = connection.prepareStatement(
                "INSERT INTO assets_fts (assets_fts, rank) VALUES ('merge', ?)")) {
            merge.setInt(1, -pages);
            merge.executeUpdate();
        }
        // FTS5's documented test: a merge that changed fewer than 2 rows had nothing to do.
        return Sql.number(connection, "SELECT total_changes()") - before >= 2;
    }

    /** The hits a query returns: id, score, snippet. */
    static List<IndexReader.KeywordHit> hits(PreparedStatement query) throws SQLException {
        List<IndexReader.KeywordHit> hits = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                hits.add(new IndexReader.KeywordHit(rs.getString(1), rs.getDouble(2), rs.getString(3)));
            }
        }
        return hits;
    }

    /** Every asset whose text matches the expression (for words a search excludes). */
    Set<String> matchingIds(Connection connection, String match) throws SQLException {
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            return postgres.matchingIds(connection, match);
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM assets_fts WHERE assets_fts MATCH ?")) {
            query.setString(1, match);
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** The indexed texts of these assets, by id, column by column (for saying why each matched). */
    Map<String, Map<String, String>> texts(Connection connection, Collection<String> ids) throws SQLException {
        // PostgreSQL's table is keyed by the asset id itself.
        boolean byId = Dialect.of(connection) == Dialect.POSTGRESQL;
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += Sql.IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + Sql.IN_CHUNK));
            String marks = Sql.marks(chunk.size());
            try (PreparedStatement query = connection.prepareStatement("SELECT id, " + String.join(", ", COLUMNS)
                    + " FROM assets_fts WHERE " + (byId ? "id" : "rowid") + " IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    if (byId) {
                        query.setString(i + 1, chunk.get(i));
                    } else {
                        query.setLong(i + 1, SearchWords.key(chunk.get(i)));
                    }
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> columns = new LinkedHashMap<>();
                        for (int c = 0; c < COLUMNS.size(); c++) {
                            columns.put(COLUMNS.get(c), rs.getString(c + 2));
                        }
                        out.put(rs.getString(1), columns);
                    }
                }
            }
        }
        return out;
    }
}

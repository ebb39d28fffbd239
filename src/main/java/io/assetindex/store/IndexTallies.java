package io.assetindex.store;

import io.assetindex.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts kept in {@code index_tallies} (migration 15) by triggers, in the transaction of every
 * write that changes them, so {@code status} and the unfiltered listing's total and facets read a
 * few rows instead of counting a million: exact and current after every commit, and after a
 * crash (a rolled-back write took its counts with it).
 *
 * <p>The tallies ({@code tally}, {@code value}: {@code n}):
 * <ul>
 *   <li>{@code assets}, a media type: every asset of that type; {@code asset_bytes}, "": their sizes;</li>
 *   <li>{@code paths}, {@code all} / {@code live}: the rows of asset_paths, and those not deleted;</li>
 *   <li>{@code attempts}, a status: the rows of process_log;</li>
 *   <li>{@code vectors}, {@code assets_vec} / {@code assets_vec_next}: the rows of each;</li>
 *   <li>{@code listed_type}, {@code listed_root}, {@code listed_job}, {@code listed_tag}: the
 *       {@link AssetFacets} of the unfiltered listing: the assets with a live path, by type; the
 *       distinct assets with a live path under each watch path and in each job; the assets with a
 *       live path whose {@code tags_json} (a JSON list; anything else holds no tags) holds each
 *       non-empty text, lowered as SQLite's {@code lower} does, counted once per asset.</li>
 * </ul>
 * A value's row stays, at 0, when nothing is left of it; readers skip those.
 *
 * <p>Hazard: a trigger does not see a row that {@code INSERT OR REPLACE} deletes (SQLite fires
 * delete triggers for those only with recursive triggers on), so writers of these tables use
 * {@code ON CONFLICT ... DO UPDATE} instead. A path counts towards the listing only while its
 * asset row exists (as the listing joins them): an asset's delete takes its listed counts away
 * before its paths go (the foreign key deletes them after the asset row), and an asset inserted
 * after paths that name it (foreign keys off) brings them in.
 *
 * <p>Part of released migration 15: the SQL here is never edited; a change is a new migration.
 */
public final class IndexTallies {

    static final String TABLE = """
            CREATE TABLE index_tallies (
                tally TEXT NOT NULL,
                value TEXT NOT NULL,
                n     INTEGER NOT NULL,
                PRIMARY KEY (tally, value)
            ) WITHOUT ROWID""";

    /** The tags of a {@code tags_json} value for json_each: itself when a valid JSON list, else none. */
    private static String tagList(String json) {
        return "CASE WHEN json_valid(" + json + ") AND json_type(" + json + ") = 'array' THEN " + json
                + " ELSE '[]' END";
    }

    private static final String OR = "\nUNION ALL ";

    /**
     * Rows that add {@code amount} to a tally, one per row of {@code select} ("SELECT value, amount
     * ..."): a part of {@link #insert}, which any number of parts make one statement. One statement
     * per trigger, not one per part: each statement a trigger runs costs about 5 µs, and a file
     * stored fires several triggers.
     */
    private static String add(String tally, String selectValueAndAmount) {
        return "SELECT '" + tally + "', * FROM (" + selectValueAndAmount + ")" + OR;
    }

    /**
     * The parts (from {@link #add}) as one statement. Two parts may add to the same row (an asset
     * re-analysed keeps its type): SQLite applies the conflict clause row by row.
     */
    private static String insert(String parts) {
        return "INSERT INTO index_tallies (tally, value, n) SELECT * FROM (" + parts.substring(0, parts.length() - OR.length())
                + ") WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n";
    }

    private static String add(String tally, String value, String amount, String condition) {
        return add(tally, "SELECT " + value + ", " + amount + " WHERE " + condition);
    }

    /** A live path of the asset {@code assetId} that {@code more} also holds for, is there. */
    static String livePath(String assetId, String more) {
        return "EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = " + assetId + " AND q.deleted_at IS NULL"
                + more + ")";
    }

    private static String assetExists(String assetId) {
        return "EXISTS (SELECT 1 FROM assets WHERE id = " + assetId + ")";
    }

    /** The listed type and tags of the asset row with id {@code assetId}, changed by {@code sign} when {@code condition}. */
    private static String listedAsset(String assetId, String sign, String condition) {
        return add("listed_type", "SELECT a.media_type, " + sign + " FROM assets a WHERE a.id = " + assetId + " AND "
                + condition)
                + add("listed_tag", "SELECT DISTINCT lower(j.value), " + sign + " FROM assets a, json_each("
                        + tagList("a.tags_json") + ") j WHERE a.id = " + assetId + " AND j.type = 'text'"
                        + " AND j.value <> '' AND " + condition);
    }

    /** The listed type and tags of an asset of this type and tags_json (not read from its row). */
    private static String listedValues(String mediaType, String tagsJson, String sign, String condition) {
        return add("listed_type", mediaType, sign, condition)
                + add("listed_tag", "SELECT DISTINCT lower(j.value), " + sign + " FROM json_each(" + tagList(tagsJson)
                        + ") j WHERE j.type = 'text' AND j.value <> '' AND " + condition);
    }

    /** Every listed count of one asset, its watch paths and jobs among them, changed by {@code sign}. */
    private static String wholeAsset(String assetId, String sign) {
        return listedAsset(assetId, sign, livePath(assetId, ""))
                + add("listed_root", "SELECT DISTINCT p.source_root, " + sign + " FROM asset_paths p WHERE p.asset_id = "
                        + assetId + " AND p.deleted_at IS NULL")
                + add("listed_job", "SELECT DISTINCT p.job_id, " + sign + " FROM asset_paths p WHERE p.asset_id = "
                        + assetId + " AND p.deleted_at IS NULL AND p.job_id IS NOT NULL");
    }

    /**
     * What a path row going from OLD to NEW does to the counts (either may be absent: {@code
     * hasOld}, {@code hasNew}). Run after the change, so the table holds NEW and not OLD: an asset,
     * watch path or job of OLD's stops counting when no live path is left for it; one of NEW's
     * starts when no other live path had it and OLD did not either.
     */
    private static String pathChange(boolean hasOld, boolean hasNew) {
        StringBuilder sql = new StringBuilder();
        if (hasOld) {
            String live = "OLD.deleted_at IS NULL";
            String exists = assetExists("OLD.asset_id");
            sql.append(add("paths", "'live'", "-1", live));
            sql.append(listedAsset("OLD.asset_id", "-1", live + " AND NOT " + livePath("OLD.asset_id", "")));
            sql.append(add("listed_root", "OLD.source_root", "-1", live + " AND " + exists + " AND NOT "
                    + livePath("OLD.asset_id", " AND q.source_root = OLD.source_root")));
            sql.append(add("listed_job", "OLD.job_id", "-1", live + " AND OLD.job_id IS NOT NULL AND " + exists
                    + " AND NOT " + livePath("OLD.asset_id", " AND q.job_id = OLD.job_id")));
        }
        if (hasNew) {
            String live = "NEW.deleted_at IS NULL";
            String other = " AND q.id <> NEW.id";
            String oldSame = hasOld ? "OLD.deleted_at IS NULL AND OLD.asset_id IS NEW.asset_id" : null;
            String exists = assetExists("NEW.asset_id");
            sql.append(add("paths", "'live'", "1", live));
            sql.append(listedAsset("NEW.asset_id", "1", live + notBefore(oldSame) + " AND NOT "
                    + livePath("NEW.asset_id", other)));
            sql.append(add("listed_root", "NEW.source_root", "1", live + " AND " + exists
                    + notBefore(hasOld ? oldSame + " AND OLD.source_root IS NEW.source_root" : null) + " AND NOT "
                    + livePath("NEW.asset_id", " AND q.source_root = NEW.source_root" + other)));
            sql.append(add("listed_job", "NEW.job_id", "1", live + " AND NEW.job_id IS NOT NULL AND " + exists
                    + notBefore(hasOld ? oldSame + " AND OLD.job_id IS NEW.job_id" : null) + " AND NOT "
                    + livePath("NEW.asset_id", " AND q.job_id = NEW.job_id" + other)));
        }
        return sql.toString();
    }

    /** Not when OLD had it too (null-safe: IS, as NOT of a null would be null, and the count skipped). */
    private static String notBefore(String oldHadIt) {
        return oldHadIt == null ? "" : " AND NOT (" + oldHadIt + ")";
    }

    private static String trigger(String name, String when, String body) {
        return "CREATE TRIGGER index_tallies_" + name + " " + when + " BEGIN\n" + insert(body) + ";\nEND";
    }

    private static String vectorTriggers(String table, List<String> into) {
        into.add(trigger(table + "_insert", "AFTER INSERT ON " + table,
                add("vectors", "'" + table + "'", "1", "true")));
        into.add(trigger(table + "_delete", "AFTER DELETE ON " + table,
                add("vectors", "'" + table + "'", "-1", "true")));
        return table;
    }

    /** The table and its triggers: migration 15's statements, before {@link #FILL}. */
    static final List<String> SCHEMA = schema();

    private static List<String> schema() {
        List<String> sql = new ArrayList<>();
        sql.add(TABLE);
        // An asset has no live path when stored or deleted, but for writers with foreign keys off: the
        // WHEN spares every new asset the statement that counts its paths.
        sql.add(trigger("asset_insert", "AFTER INSERT ON assets",
                add("assets", "NEW.media_type", "1", "true") + add("asset_bytes", "''", "NEW.size_bytes", "true")));
        sql.add(trigger("asset_insert_listed", "AFTER INSERT ON assets WHEN " + livePath("NEW.id", ""),
                wholeAsset("NEW.id", "1")));
        sql.add(trigger("asset_delete", "BEFORE DELETE ON assets",
                add("assets", "OLD.media_type", "-1", "true") + add("asset_bytes", "''", "-OLD.size_bytes", "true")));
        sql.add(trigger("asset_delete_listed", "BEFORE DELETE ON assets WHEN " + livePath("OLD.id", ""),
                wholeAsset("OLD.id", "-1")));
        String listed = livePath("NEW.id", "");
        sql.add(trigger("asset_update", "AFTER UPDATE OF media_type, size_bytes, tags_json ON assets"
                + " WHEN OLD.media_type IS NOT NEW.media_type OR OLD.size_bytes IS NOT NEW.size_bytes"
                + " OR OLD.tags_json IS NOT NEW.tags_json",
                add("assets", "OLD.media_type", "-1", "true") + add("assets", "NEW.media_type", "1", "true")
                        + add("asset_bytes", "''", "NEW.size_bytes - OLD.size_bytes", "true")
                        + listedValues("OLD.media_type", "OLD.tags_json", "-1", listed)
                        + listedValues("NEW.media_type", "NEW.tags_json", "1", listed)));
        sql.add(trigger("path_insert", "AFTER INSERT ON asset_paths",
                add("paths", "'all'", "1", "true") + pathChange(false, true)));
        sql.add(trigger("path_delete", "AFTER DELETE ON asset_paths",
                add("paths", "'all'", "-1", "true") + pathChange(true, false)));
        sql.add(trigger("path_update", "AFTER UPDATE OF asset_id, deleted_at, source_root, job_id ON asset_paths"
                + " WHEN OLD.asset_id IS NOT NEW.asset_id OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)"
                + " OR OLD.source_root IS NOT NEW.source_root OR OLD.job_id IS NOT NEW.job_id",
                pathChange(true, true)));
        sql.add(trigger("attempt_insert", "AFTER INSERT ON process_log",
                add("attempts", "NEW.status", "1", "true")));
        sql.add(trigger("attempt_delete", "AFTER DELETE ON process_log",
                add("attempts", "OLD.status", "-1", "true")));
        sql.add(trigger("attempt_update", "AFTER UPDATE OF status ON process_log WHEN OLD.status IS NOT NEW.status",
                add("attempts", "OLD.status", "-1", "true") + add("attempts", "NEW.status", "1", "true")));
        vectorTriggers("assets_vec", sql);
        vectorTriggers("assets_vec_next", sql);
        return List.copyOf(sql);
    }

    /** Counts every tally from the rows there are (the table empty): what the triggers keep from then on. */
    static final List<String> FILL = List.of(
            insert(add("assets", "SELECT media_type, count(*) FROM assets GROUP BY media_type")
                    + add("asset_bytes", "SELECT '', coalesce(sum(size_bytes), 0) FROM assets")),
            insert(add("paths", "SELECT 'all', count(*) FROM asset_paths")
                    + add("paths", "SELECT 'live', count(*) FROM asset_paths WHERE deleted_at IS NULL")),
            insert(add("attempts", "SELECT status, count(*) FROM process_log GROUP BY status")),
            insert(add("vectors", "SELECT 'assets_vec', count(*) FROM assets_vec")
                    + add("vectors", "SELECT 'assets_vec_next', count(*) FROM assets_vec_next")),
            insert(add("listed_type", "SELECT a.media_type, count(*) FROM assets a WHERE " + livePath("a.id", "")
                    + " GROUP BY a.media_type")),
            insert(add("listed_root", "SELECT p.source_root, count(DISTINCT p.asset_id) FROM asset_paths p WHERE"
                    + " p.deleted_at IS NULL AND " + assetExists("p.asset_id") + " GROUP BY p.source_root")),
            insert(add("listed_job", "SELECT p.job_id, count(DISTINCT p.asset_id) FROM asset_paths p WHERE"
                    + " p.deleted_at IS NULL AND p.job_id IS NOT NULL AND " + assetExists("p.asset_id")
                    + " GROUP BY p.job_id")),
            insert(add("listed_tag", "SELECT tag, count(*) FROM (SELECT DISTINCT a.id, lower(j.value) AS tag FROM"
                    + " assets a, json_each(" + tagList("a.tags_json") + ") j WHERE j.type = 'text' AND j.value <> ''"
                    + " AND " + livePath("a.id", "") + ") GROUP BY tag")));

    /** Empties and counts every tally again, for a writer that had the triggers off (a bulk load). */
    public static void recount(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM index_tallies");
            for (String sql : FILL) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The tallies of status counted from the rows, as {@link #FILL} counts them: PostgreSQL's
     * {@code index_tallies} is a view of this (its migration 15; the triggers are SQLite's), so a
     * PostgreSQL index counts at every {@code status}, as SQLite's did before migration 15, and
     * keeps no listed tallies.
     */
    static final String COUNTED = "SELECT 'assets' AS tally, media_type AS value, count(*) AS n FROM assets"
            + " GROUP BY media_type"
            + " UNION ALL SELECT 'asset_bytes', '', coalesce(sum(size_bytes), 0) FROM assets"
            + " UNION ALL SELECT 'paths', 'all', count(*) FROM asset_paths"
            + " UNION ALL SELECT 'paths', 'live', count(*) FROM asset_paths WHERE deleted_at IS NULL"
            + " UNION ALL SELECT 'attempts', status, count(*) FROM process_log GROUP BY status"
            + " UNION ALL SELECT 'vectors', 'assets_vec', count(*) FROM assets_vec"
            + " UNION ALL SELECT 'vectors', 'assets_vec_next', count(*) FROM assets_vec_next";

    /** Whether this index keeps the tallies (SQLite) or counts status's when asked (PostgreSQL's view). */
    private static boolean kept(Connection connection) throws SQLException {
        return Dialect.of(connection) == Dialect.SQLITE;
    }

    /** The values with a count of these tallies, by tally, then value. */
    private static Map<String, Map<String, Long>> read(Connection connection, String... tallies) throws SQLException {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT tally, value, n FROM index_tallies"
                + " WHERE tally IN (" + String.join(", ", Collections.nCopies(tallies.length, "?")) + ") AND n <> 0")) {
            for (int i = 0; i < tallies.length; i++) {
                query.setString(i + 1, tallies[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        return counts;
    }

    /**
     * The facets (and so the total) of the unfiltered listing: every asset with a live path; null
     * where the tallies are not kept (PostgreSQL), and the caller counts them.
     */
    static AssetFacets listed(Connection connection) throws SQLException {
        if (!kept(connection)) {
            return null;
        }
        Map<String, Map<String, Long>> tallies = read(connection, "listed_type", "listed_root", "listed_job", "listed_tag");
        int all = Integer.MAX_VALUE;
        return new AssetFacets(AssetFacets.ranked(tallies.getOrDefault("listed_type", Map.of()), all),
                AssetFacets.ranked(tallies.getOrDefault("listed_root", Map.of()), all),
                AssetFacets.ranked(tallies.getOrDefault("listed_job", Map.of()), all),
                AssetFacets.ranked(tallies.getOrDefault("listed_tag", Map.of()), AssetFacets.TOP_TAGS));
    }

    /** How many assets the unfiltered listing holds (its types' counts, not its facets); -1 where not kept. */
    static long listedTotal(Connection connection) throws SQLException {
        if (!kept(connection)) {
            return -1;
        }
        return read(connection, "listed_type").getOrDefault("listed_type", Map.of()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** The counts of status: assets by type and their bytes, paths, attempts by status and vectors by table. */
    record Totals(Map<MediaType, Long> assetsByType, long assetBytes, long allPaths, long livePaths,
            Map<ProcessStatus, Long> attempts, long activeVectors, long buildingVectors) {}

    static Totals totals(Connection connection) throws SQLException {
        Map<String, Map<String, Long>> tallies = read(connection, "assets", "asset_bytes", "paths", "attempts", "vectors");
        Map<MediaType, Long> byType = new EnumMap<>(MediaType.class);
        for (MediaType type : MediaType.values()) {
            byType.put(type, 0L);
        }
        tallies.getOrDefault("assets", Map.of()).forEach((type, n) -> byType.put(MediaType.fromId(type), n));
        Map<ProcessStatus, Long> attempts = new EnumMap<>(ProcessStatus.class);
        for (ProcessStatus status : ProcessStatus.values()) {
            attempts.put(status, 0L);
        }
        tallies.getOrDefault("attempts", Map.of()).forEach((status, n) -> attempts.put(ProcessStatus.fromId(status), n));
        Map<String, Long> paths = tallies.getOrDefault("paths", Map.of());
        Map<String, Long> vectors = tallies.getOrDefault("vectors", Map.of());
        return new Totals(byType, tallies.getOrDefault("asset_bytes", Map.of()).getOrDefault("", 0L),
                paths.getOrDefault("all", 0L), paths.getOrDefault("live", 0L), attempts,
                vectors.getOrDefault("assets_vec", 0L), vectors.getOrDefault("assets_vec_next", 0L));
    }

    /** How many vectors the active model has. */
    static long activeVectors(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT coalesce(sum(n), 0) FROM index_tallies WHERE tally = 'vectors' AND value = 'assets_vec'");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private IndexTallies() {}
}

package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keyword index in PostgreSQL: the same questions as {@link KeywordIndex} asks FTS5, asked of
 * the {@code assets_fts} table (one row per asset with a live path, kept by triggers: see {@link
 * PostgresMigrations}) and its weighted {@code tsvector}. Words are split as FTS5's unicode61
 * tokenizer splits them (lower case, accents removed, at every character that is not a letter or
 * a digit), so the same expression matches the same assets. Ranking is {@code ts_rank} with the
 * columns in four weight classes (name and job; camera, folder and tags; summary; the rest),
 * close to FTS5's BM25 weights but not equal: equal matches may come in another order. A snippet
 * is made here from the best column that matched ({@link #snippet}), as FTS5 makes it.
 *
 * <p>The expressions are those {@link KeywordQuery} builds for FTS5 (quoted phrases of letters
 * and digits, AND, OR, NOT and parentheses), read into {@code tsquery} syntax by {@link #tsquery}.
 */
final class PostgresKeywordIndex {
    /** ts_rank's weights of the classes D, C, B, A. */
    private static final String WEIGHTS = "'{0.2, 0.3, 0.5, 1.0}'";
    private static final String QUERY = "to_tsquery('simple', ?)";
    /** The columns in the order a snippet prefers them (FTS5's weights, highest first). */
    private static final List<String> SNIPPET_ORDER = List.of("name", "job", "camera", "folder", "tags", "summary",
            "style", "mood", "scenes", "transcript");
    /** Words of a snippet, as FTS5's snippet(..., 12). */
    private static final int SNIPPET_WORDS = 12;
    /** Words shown before the first match, when the text has them. */
    private static final int SNIPPET_LEAD = 3;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern FTS5_PART = Pattern.compile("\"([^\"]*)\"|\\bAND\\b|\\bOR\\b|\\bNOT\\b|[()]");

    /** An FTS5 expression of {@link KeywordQuery} in {@code tsquery} syntax. */
    static String tsquery(String fts5) {
        StringBuilder out = new StringBuilder();
        Matcher part = FTS5_PART.matcher(fts5);
        while (part.find()) {
            String token = part.group();
            if (part.group(1) != null) {
                out.append("(").append(String.join(" <-> ", part.group(1).trim().split("\\s+"))).append(")");
            } else {
                out.append(switch (token) {
                    case "AND" -> " & ";
                    case "OR" -> " | ";
                    case "NOT" -> " & !";
                    default -> token;
                });
            }
        }
        return out.toString();
    }

    List<IndexReader.KeywordHit> search(Connection connection, String match, SearchFilter filter, int limit)
            throws SQLException {
        FilterSql sql = new FilterSql(filter);
        // Every match is ranked first (the GIN index finds them; ts_rank costs about 0.5 µs each), and the filter
        // with its live path is checked for the best ones in order until the page is full (OFFSET 0 keeps the planner
        // from merging the two). Joined to assets before ranking, or without the inner order, the planner hashed the
        // whole assets table: 50 to 80 ms instead of 11 for words in 12,000 of 100,000 assets.
        try (PreparedStatement query = connection.prepareStatement("SELECT r.id, r.score, NULL FROM (SELECT f.id,"
                + " -ts_rank(" + WEIGHTS + ", f.document, q) AS score FROM assets_fts f, " + QUERY + " q"
                + " WHERE f.document @@ q ORDER BY score, f.id OFFSET 0) r WHERE EXISTS (SELECT 1 FROM assets a"
                + " WHERE a.id = r.id AND " + sql.where() + ") ORDER BY r.score, r.id LIMIT ?")) {
            query.setString(1, tsquery(match));
            int next = sql.bindWhere(query, 2);
            query.setInt(next, limit);
            return KeywordIndex.hits(query);
        }
    }

    List<IndexReader.KeywordHit> matchesAmong(Connection connection, String match, List<String> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        // The rows are found by id and the match is a column, not a condition: as a condition, the plan PostgreSQL
        // keeps for the statement reads the words' whole list in the GIN index too (2 ms for 12,000 assets, not 0.1).
        StringBuilder best = new StringBuilder("CASE WHEN NOT f.document @@ q THEN NULL");
        for (String column : SNIPPET_ORDER) {
            best.append(" WHEN to_tsvector('simple', search_text(f.").append(column).append(")) @@ q THEN f.")
                    .append(column);
        }
        best.append(" END");
        Map<String, IndexReader.KeywordHit> found = new LinkedHashMap<>();
        Set<String> words = words(match);
        try (PreparedStatement query = connection.prepareStatement("SELECT f.id, f.document @@ q, " + best
                + " FROM assets_fts f, " + QUERY + " q WHERE f.id IN (" + Sql.marks(ids.size()) + ")")) {
            query.setString(1, tsquery(match));
            for (int i = 0; i < ids.size(); i++) {
                query.setString(i + 2, ids.get(i));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        String id = rs.getString(1);
                        found.put(id, new IndexReader.KeywordHit(id, 0, snippet(rs.getString(3), words)));
                    }
                }
            }
        }
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    /** The words an FTS5 expression of {@link KeywordQuery} looks for (those of its phrases). */
    static Set<String> words(String fts5) {
        Set<String> words = new HashSet<>();
        Matcher part = FTS5_PART.matcher(fts5);
        while (part.find()) {
            if (part.group(1) != null) {
                words.addAll(List.of(part.group(1).trim().split("\\s+")));
            }
        }
        return words;
    }

    /**
     * Up to {@link #SNIPPET_WORDS} words of {@code text} from just before its first match, the
     * words looked for in [brackets] (words in a row in one pair) and … where the text goes on, as
     * FTS5's snippet() makes them. Words are compared as the index compares them ({@link
     * KeywordQuery#tokens}).
     */
    static String snippet(String text, Set<String> looked) {
        if (text == null) {
            return null;
        }
        List<int[]> spans = new ArrayList<>();
        List<Boolean> marked = new ArrayList<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            spans.add(new int[] {word.start(), word.end()});
            List<String> tokens = KeywordQuery.tokens(word.group());
            marked.add(!tokens.isEmpty() && looked.containsAll(tokens));
        }
        int first = Math.max(0, marked.indexOf(true));
        int from = Math.max(0, first - SNIPPET_LEAD);
        int to = Math.min(spans.size(), from + SNIPPET_WORDS);
        if (to == 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(from > 0 ? "…" : "");
        int at = from > 0 ? spans.get(from)[0] : 0;
        for (int i = from; i < to; i++) {
            out.append(text, at, spans.get(i)[0]);
            boolean opens = marked.get(i) && (i == from || !marked.get(i - 1));
            boolean closes = marked.get(i) && (i + 1 == to || !marked.get(i + 1));
            out.append(opens ? "[" : "").append(text, spans.get(i)[0], spans.get(i)[1]).append(closes ? "]" : "");
            at = spans.get(i)[1];
        }
        return to < spans.size() ? out.append("…").toString() : out.append(text.substring(at)).toString();
    }

    /** The one-asset INSERT of the function the triggers call: before its asset condition, and after it (an upsert's). */
    private static final Pattern REFRESH_INSERT = Pattern.compile("(INSERT INTO assets_fts\\b.*?)\\s+WHERE a\\.id ="
            + " asset\\)\\s+s\\b([^;]*);", Pattern.DOTALL);

    /**
     * Writes every asset's row into the empty table. The statement is the one the database's own
     * {@code assets_fts_refresh(asset)} runs (read from the database, so a later migration's definition is
     * the one used) without its asset condition: one statement for all, about three times faster than
     * calling the function per asset (1.4 ms each at 100,000). A definition of another shape is called per asset.
     */
    static void refill(Connection connection) throws SQLException {
        String body = null;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT prosrc FROM pg_proc WHERE proname = 'assets_fts_refresh'"
                        + " AND pronamespace = current_schema()::regnamespace")) {
            if (rs.next()) {
                body = rs.getString(1);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(refillStatement(body).orElse("SELECT count(assets_fts_refresh(id)) FROM assets"));
        }
    }

    /** {@link #refill}'s one statement for every asset, from the body of {@code assets_fts_refresh}, if it has the shape. */
    static Optional<String> refillStatement(String body) {
        Matcher insert = body == null ? null : REFRESH_INSERT.matcher(body);
        return insert != null && insert.find() ? Optional.of(insert.group(1) + ") s" + insert.group(2))
                : Optional.empty();
    }

    int countUpTo(Connection connection, String match, int cap) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM assets_fts"
                + " WHERE document @@ " + QUERY + " LIMIT ?) matches")) {
            query.setString(1, tsquery(match));
            query.setInt(2, cap);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    Set<String> matchingIds(Connection connection, String match) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM assets_fts WHERE document @@ "
                + QUERY)) {
            query.setString(1, tsquery(match));
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }
}

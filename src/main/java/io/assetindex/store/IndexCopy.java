package io.assetindex.store;

import io.assetindex.config.WatchRoot;
import io.assetindex.util.Text;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copies a whole index into an empty one, for {@code migrate --to}: SQLite to PostgreSQL and back.
 *
 * <p>Which tables: every table of the source's schema, found in the database's own catalogue (so a
 * table or column a later migration adds is copied with no change here), except those the target
 * derives from the others: its {@code schema_migrations} (made by its own migrations), the keyword
 * index ({@code assets_fts}, and SQLite's FTS5 shadow tables), SQLite's {@code index_tallies}, the
 * {@code index_changes} feed and how far it was trimmed ({@code index_changes_trimmed}), and the
 * {@code watchers} table (the running watchers of the source's index, which are not the
 * target's: each writes its row when it starts on the target). Rows go over unchanged (vectors as the same bytes, ids included),
 * columns matched by name.
 *
 * <p>How: the whole copy is one transaction on the target, so an interrupted copy leaves the target
 * as the migrations made it, with no row, and running it again starts over. Inside it the target's
 * triggers are off (SQLite's dropped and made again from their own SQL, PostgreSQL's disabled) so
 * each row is written once; the derived tables are then filled in one statement each, PostgreSQL's
 * identity sequences are moved past the copied maximum, and every copied table's count is compared
 * with the source's before the commit. The source is read in one snapshot.
 */
public final class IndexCopy {
    /** Rows per INSERT statement at most; fewer for wide tables (both databases take 32,766 parameters). */
    private static final int ROWS_PER_STATEMENT = 500;
    private static final int MAX_PARAMETERS = 30_000;

    /** Tables not copied (see the class comment), and SQLite's FTS5 shadow tables' prefix. */
    private static final Set<String> DERIVED = Set.of("schema_migrations", "index_changes", "index_changes_trimmed",
            "index_tallies", "assets_fts", "watchers");
    private static final String KEYWORD_SHADOW = "assets_fts_";

    /** What a copy is doing, for a progress bar. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** The rows to copy, counted in the source. */
        default void planned(Map<String, Long> rowsPerTable) {}

        /** {@code rows} of {@code table} are written; {@code total} of all tables so far. */
        default void copied(String table, long rows, long total) {}

        /** Every row of {@code table} is written: {@code rows}. */
        default void tableCopied(String table, long rows) {}

        /** The copy is written; the derived tables are being filled and the counts compared. */
        default void finishing() {}
    }

    /** The copy is refused before anything is written: the target cannot take this index as it is. */
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The target already holds rows: nothing was copied. */
    public static final class TargetNotEmpty extends Refused {
        private static final long serialVersionUID = 1L;

        TargetNotEmpty(String message) {
            super(message);
        }
    }

    /** What was copied: rows per table, in the order they were written. */
    public record Result(int schemaVersion, Map<String, Long> tables) {
        public long assets() {
            return tables.getOrDefault("assets", 0L);
        }

        public long rows() {
            return tables.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private IndexCopy() {}

    /**
     * Copies every row of {@code source} into {@code target}, which must hold none.
     *
     * @throws TargetNotEmpty when the target holds a row in any table that would be copied
     * @throws Refused        when the target cannot hold this index (SQLite and paths that hosts share)
     * @throws StoreException when the copy fails (the target keeps no row of it), a count differs
     *                        (naming the table), or the two schemas differ
     */
    public static Result copy(IndexDatabase source, IndexDatabase target, Listener listener) {
        return source.readSnapshot(from -> target.write(to -> copy(from, to, listener)));
    }

    private static Result copy(Connection from, Connection to, Listener listener) throws SQLException {
        int version = Migrations.recordedVersion(from);
        if (Migrations.recordedVersion(to) != version) {
            throw new StoreException("the source's schema is version " + version + ", the target's "
                    + Migrations.recordedVersion(to) + "; open both with this asset-index first");
        }
        Dialect into = Dialect.of(to);
        Map<String, List<Column>> tables = copiedTables(to);
        Set<String> sourceTables = copiedTables(from).keySet();
        if (!sourceTables.equals(tables.keySet())) {
            throw new StoreException("the source and the target have different tables at schema version " + version
                    + ": only in the source " + without(sourceTables, tables.keySet()) + ", only in the target "
                    + without(tables.keySet(), sourceTables));
        }
        for (String table : tables.keySet()) {
            if (count(to, table) > 0) {
                throw new TargetNotEmpty("the target already holds an index (table " + table + " has rows): migrate"
                        + " copies into an empty one only; use a new database, or drop its tables first");
            }
        }
        if (into == Dialect.SQLITE && Dialect.of(from) == Dialect.POSTGRESQL) {
            refuseSharedPaths(from);
        }
        Map<String, Long> planned = new LinkedHashMap<>();
        for (String table : tables.keySet()) {
            planned.put(table, count(from, table));
        }
        listener.planned(planned);
        List<String> triggers = triggersOff(to, into, tables.keySet());
        Map<String, Long> copied = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, List<Column>> table : tables.entrySet()) {
            long rows = copyTable(from, to, table.getKey(), table.getValue(), total, listener);
            copied.put(table.getKey(), rows);
            listener.tableCopied(table.getKey(), rows);
            total += rows;
        }
        listener.finishing();
        KeywordIndex.refill(to, into);
        if (into == Dialect.SQLITE) {
            IndexTallies.recount(to);
        } else {
            continueIdentities(to);
        }
        triggersOn(to, into, tables.keySet(), triggers);
        for (Map.Entry<String, Long> table : planned.entrySet()) {
            long written = count(to, table.getKey());
            if (written != table.getValue() || copied.get(table.getKey()) != written) {
                throw new StoreException("the copy of table " + table.getKey() + " has " + written + " rows, the source "
                        + table.getValue() + "; nothing was kept in the target");
            }
        }
        return new Result(version, copied);
    }

    /** A column of a copied table, and whether the target stores it as an integer. */
    private record Column(String name, String type) {}

    /**
     * The tables to copy, referenced tables before those whose foreign keys point at them (the
     * foreign keys hold while the triggers are off), else by name.
     */
    private static Map<String, List<Column>> copiedTables(Connection c) throws SQLException {
        Map<String, List<Column>> tables = new TreeMap<>();
        boolean sqlite = Dialect.of(c) == Dialect.SQLITE;
        try (PreparedStatement query = c.prepareStatement(sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
                        + " AND sql NOT LIKE 'CREATE VIRTUAL%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE'");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!DERIVED.contains(name) && !name.startsWith(KEYWORD_SHADOW)) {
                    tables.put(name, new ArrayList<>());
                }
            }
        }
        for (Map.Entry<String, List<Column>> table : tables.entrySet()) {
            try (PreparedStatement query = c.prepareStatement(sqlite
                    ? "SELECT name, lower(type) FROM pragma_table_info(?) ORDER BY cid"
                    : "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema ="
                            + " current_schema() AND table_name = ? ORDER BY ordinal_position")) {
                query.setString(1, table.getKey());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        table.getValue().add(new Column(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)));
                    }
                }
            }
        }
        return inReferenceOrder(c, tables);
    }

    private static Map<String, List<Column>> inReferenceOrder(Connection c, Map<String, List<Column>> tables)
            throws SQLException {
        Map<String, Set<String>> references = new TreeMap<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String table : tables.keySet()) {
            Set<String> parents = new TreeSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, null, table)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME");
                    if (tables.containsKey(parent) && !parent.equals(table)) {
                        parents.add(parent);
                    }
                }
            }
            references.put(table, parents);
        }
        Map<String, List<Column>> ordered = new LinkedHashMap<>();
        while (ordered.size() < tables.size()) {
            int before = ordered.size();
            for (Map.Entry<String, Set<String>> table : references.entrySet()) {
                if (!ordered.containsKey(table.getKey()) && ordered.keySet().containsAll(table.getValue())) {
                    ordered.put(table.getKey(), tables.get(table.getKey()));
                }
            }
            if (ordered.size() == before) {
                throw new SQLException("the tables' foreign keys make a cycle: " + without(tables.keySet(),
                        ordered.keySet()));
            }
        }
        return ordered;
    }

    private static Set<String> without(Set<String> all, Set<String> less) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(less);
        return rest;
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static long count(Connection c, String table) throws SQLException {
        return Sql.number(c, "SELECT count(*) FROM " + quoted(table));
    }

    /**
     * Turns the target's triggers off for the copy: SQLite cannot disable one, so they are dropped
     * and their SQL returned to make them again; PostgreSQL's user triggers are disabled (its
     * foreign keys, system triggers, stay on). Both within the copy's transaction.
     */
    private static List<String> triggersOff(Connection c, Dialect dialect, Set<String> tables) throws SQLException {
        List<String> made = new ArrayList<>();
        try (Statement statement = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                for (String table : tables) {
                    statement.execute("ALTER TABLE " + quoted(table) + " DISABLE TRIGGER USER");
                }
                return made;
            }
            Map<String, String> triggers = new LinkedHashMap<>();
            try (ResultSet rs = statement.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    + " ORDER BY rowid")) {
                while (rs.next()) {
                    triggers.put(rs.getString(1), rs.getString(2));
                }
            }
            for (Map.Entry<String, String> trigger : triggers.entrySet()) {
                statement.execute("DROP TRIGGER " + quoted(trigger.getKey()));
                made.add(trigger.getValue());
            }
        }
        return made;
    }

    private static void triggersOn(Connection c, Dialect dialect, Set<String> tables, List<String> sqliteTriggers)
            throws SQLException {
        try (Statement statement = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                for (String table : tables) {
                    statement.execute("ALTER TABLE " + quoted(table) + " ENABLE TRIGGER USER");
                }
            }
            for (String sql : sqliteTriggers) {
                statement.execute(sql);
            }
        }
    }

    /** Copies one table's rows in multi-row INSERTs; how many. */
    private static long copyTable(Connection from, Connection to, String table, List<Column> columns, long before,
            Listener listener) throws SQLException {
        String names = String.join(", ", columns.stream().map(column -> quoted(column.name())).toList());
        int perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, MAX_PARAMETERS / columns.size()));
        long rows = 0;
        List<Object[]> pending = new ArrayList<>(perStatement);
        try (PreparedStatement read = from.prepareStatement("SELECT " + names + " FROM " + quoted(table));
                PreparedStatement full = to.prepareStatement(insert(table, names, columns.size(), perStatement))) {
            read.setFetchSize(1000); // PostgreSQL streams the rows (in the snapshot's transaction) instead of holding all
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    pending.add(row);
                    if (pending.size() == perStatement) {
                        write(full, pending, columns);
                        rows += pending.size();
                        pending.clear();
                        listener.copied(table, rows, before + rows);
                    }
                }
            }
        } catch (SQLException e) {
            throw new SQLException("copying table " + table + ": " + e.getMessage(), e.getSQLState(), e);
        }
        if (!pending.isEmpty()) {
            try (PreparedStatement rest = to.prepareStatement(insert(table, names, columns.size(), pending.size()))) {
                write(rest, pending, columns);
            } catch (SQLException e) {
                throw new SQLException("copying table " + table + ": " + e.getMessage(), e.getSQLState(), e);
            }
            rows += pending.size();
            listener.copied(table, rows, before + rows);
        }
        return rows;
    }

    /**
     * SQLite's {@code asset_paths} keeps one row per (watch path, relative path), whatever the host: an index
     * in which two hosts have the same one (PostgreSQL's key has the host) cannot be copied into it.
     */
    private static void refuseSharedPaths(Connection from) throws SQLException {
        try (Statement statement = from.createStatement();
                ResultSet rs = statement.executeQuery("SELECT source_root, rel_path, min(host), max(host),"
                        + " count(*) OVER () FROM asset_paths GROUP BY source_root, rel_path HAVING count(*) > 1"
                        + " ORDER BY source_root, rel_path LIMIT 1")) {
            if (rs.next()) {
                long more = rs.getLong(5) - 1;
                throw new Refused("an SQLite index keeps one path per watch path and relative path, and hosts "
                        + Text.escapeControls(rs.getString(3)) + " and " + Text.escapeControls(rs.getString(4))
                        + " both have " + Text.escapeControls(WatchRoot.displayPath(rs.getString(1), rs.getString(2)))
                        + (more > 0 ? " (and " + more + " more paths that hosts share)" : "")
                        + "; copy this index into another PostgreSQL database instead");
            }
        }
    }

    private static String insert(String table, String names, int columns, int rows) {
        String row = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
        return "INSERT INTO " + quoted(table) + " (" + names + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    private static void write(PreparedStatement insert, List<Object[]> rows, List<Column> columns) throws SQLException {
        int place = 1;
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                insert.setObject(place++, value(row[i], columns.get(i).type()));
            }
        }
        insert.executeUpdate();
    }

    /**
     * A value as the target's column stores it. SQLite hands back what each row holds (an INTEGER
     * column's small values as Integer, a REAL column's whole numbers possibly as Long), PostgreSQL
     * what the column is; the target's declared type decides.
     */
    private static Object value(Object value, String targetType) {
        if (value instanceof Number number) {
            if (targetType.contains("double") || targetType.contains("real")) {
                return number.doubleValue();
            }
            if (targetType.contains("int") && !(value instanceof Double || value instanceof Float)) {
                return number.longValue();
            }
        }
        return value;
    }

    /** Moves every identity column's sequence past the copied rows, so the next row gets a new id. */
    private static void continueIdentities(Connection c) throws SQLException {
        Map<String, String> identities = new LinkedHashMap<>();
        try (Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) {
                identities.put(rs.getString(1), rs.getString(2));
            }
        }
        try (Statement statement = c.createStatement()) {
            for (Map.Entry<String, String> identity : identities.entrySet()) {
                String table = quoted(identity.getKey());
                String column = quoted(identity.getValue());
                // The quoted names, as pg_get_serial_sequence reads its first argument as SQL names.
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table.replace("'", "''") + "', '"
                        + identity.getValue().replace("'", "''") + "'), coalesce(max(" + column + "), 0) + 1, false)"
                        + " FROM " + table);
            }
        }
    }
}

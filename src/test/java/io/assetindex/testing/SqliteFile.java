package io.assetindex.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads (and, for a test's setup, changes) an index database the way a user with sqlite3 would:
 * plain SQL on the file. On the PostgreSQL backend ({@link TestPostgres#selected()}) the SQL runs in
 * the database that stands in for the workspace's index file, as psql would run it.
 */
public final class SqliteFile {
    private SqliteFile() {}

    public static List<Map<String, Object>> rows(Path database, String sql, Object... params) {
        try (Connection connection = connect(database, false);
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), asSqliteGives(rs.getObject(c)));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as SQLite's driver gives it: a whole number that fits an int is an Integer. */
    private static Object asSqliteGives(Object value) {
        return value instanceof Long number && number == number.intValue() ? (Object) number.intValue() : value;
    }

    /**
     * Runs one statement; returns the rows changed. The connection knows the functions the keyword
     * index's triggers call, as asset-index's own connections do (sqlite3 would not: it only reads).
     */
    public static int execute(Path database, String sql, Object... params) {
        try (Connection connection = connect(database, true);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(Path database, boolean writes) throws SQLException {
        String postgres = TestPostgres.standingIn(database);
        if (postgres != null) {
            return TestPostgres.connect(postgres);
        }
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        if (writes) {
            io.assetindex.store.SearchWords.register(connection);
        }
        return connection;
    }

    public static long count(Path database, String sql, Object... params) {
        return ((Number) rows(database, sql, params).get(0).values().iterator().next()).longValue();
    }

    public static Object value(Path database, String sql, Object... params) {
        List<Map<String, Object>> rows = rows(database, sql, params);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /**
     * Every row of every table, as text, table by table in name order and rows in rowid or key
     * order: equal dumps mean the database holds the same rows.
     */
    public static Map<String, List<String>> dump(Path database) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        String tableNames = TestPostgres.standingIn(database) != null
                ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' ORDER BY table_name"
                : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        for (Map<String, Object> table : rows(database, tableNames)) {
            String name = (String) table.get("name");
            List<String> lines = new ArrayList<>();
            for (Map<String, Object> row : rows(database, "SELECT * FROM \"" + name + "\" ORDER BY 1")) {
                lines.add(row.entrySet().stream()
                        .map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] bytes ? HexFormat.of().formatHex(bytes)
                                : String.valueOf(e.getValue())))
                        .toList().toString());
            }
            tables.put(name, lines);
        }
        return tables;
    }
}

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

/** Reads (and, for a test's setup, changes) an index database the way a user with sqlite3 would: plain SQL on the file. */
public final class SqliteFile {
    private SqliteFile() {}

    public static List<Map<String, Object>> rows(Path database, String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
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
                        row.put(meta.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs one statement; returns the rows changed. The connection knows the functions the keyword
     * index's triggers call, as asset-index's own connections do (sqlite3 would not: it only reads).
     */
    public static int execute(Path database, String sql, Object... params) {
        try (Connection connection = withSearchWords(DriverManager.getConnection("jdbc:sqlite:" + database));
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection withSearchWords(Connection connection) throws SQLException {
        io.assetindex.store.SearchWords.register(connection);
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
        for (Map<String, Object> table : rows(database,
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
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

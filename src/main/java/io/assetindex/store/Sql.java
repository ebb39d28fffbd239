package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;

/** Small helpers for building and running queries. */
final class Sql {
    /** Values per {@code IN (...)} list: well under SQLite's limit on parameters. */
    static final int IN_CHUNK = 500;

    private Sql() {}

    /** The first column of the first row of a query without parameters (a count, a pragma), or 0 without a row. */
    static long number(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** {@code count} comma-separated parameter marks, for an {@code IN (...)} list. */
    static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /**
     * The smallest string greater than every string that starts with {@code prefix}, so that
     * {@code col >= prefix AND col < upperBound(prefix)} is a prefix match that can use an
     * index. Correct under SQLite's byte-wise text order because UTF-8 preserves code point order.
     */
    static String upperBound(String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("empty prefix");
        }
        char last = prefix.charAt(prefix.length() - 1);
        if (last == Character.MAX_VALUE || Character.isSurrogate(last)) {
            throw new IllegalArgumentException("prefix must not end in U+FFFF or a surrogate: " + prefix);
        }
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}

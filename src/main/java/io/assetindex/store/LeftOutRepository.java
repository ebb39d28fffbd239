package io.assetindex.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for {@code left_out}: one row per host and watch path, what that host's last whole walk of it
 * left out because of extensions. The extensions are one JSON object ({@code {"oga": {"files": 27, "example": …}}}):
 * they are written and read together, and their number is bounded by the walk.
 */
final class LeftOutRepository {
    private static final TypeReference<LinkedHashMap<String, LeftOut.Extension>> EXTENSIONS = new TypeReference<>() {};

    /** Replaces what was recorded for the host's watch path. */
    void record(Connection connection, String host, String sourceRoot, LeftOut leftOut, Instant at)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO left_out (source_root, files, other_files, extensions_json, counted_at, host)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (host, source_root) DO UPDATE SET
                    files = excluded.files, other_files = excluded.other_files,
                    extensions_json = excluded.extensions_json, counted_at = excluded.counted_at""")) {
            upsert.setString(1, sourceRoot);
            upsert.setLong(2, leftOut.files());
            upsert.setLong(3, leftOut.otherFiles());
            upsert.setString(4, Json.write(leftOut.byExtension()));
            upsert.setString(5, Timestamps.stored(at));
            upsert.setString(6, host);
            upsert.executeUpdate();
        }
    }

    /**
     * The count of each of the host's watch paths, by name; with a null host, every row of an index not
     * yet upgraded to rows per host ({@link HostRowsMigration#applied}). A row whose JSON does not read
     * (edited by hand) counts its total only.
     */
    List<CountedLeftOut> all(Connection connection, String host) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_root, counted_at, files, other_files,"
                + " extensions_json FROM left_out" + (host == null ? "" : " WHERE host = ?") + " ORDER BY source_root")) {
            if (host != null) {
                query.setString(1, host);
            }
            List<CountedLeftOut> counts = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    LeftOut leftOut;
                    try {
                        leftOut = new LeftOut(Json.MAPPER.readValue(rs.getString(5), EXTENSIONS), rs.getLong(4));
                    } catch (JsonProcessingException e) {
                        leftOut = new LeftOut(Map.of(), rs.getLong(3));
                    }
                    counts.add(new CountedLeftOut(rs.getString(1), Timestamps.parse(rs.getString(2)), leftOut));
                }
            }
            return counts;
        }
    }
}

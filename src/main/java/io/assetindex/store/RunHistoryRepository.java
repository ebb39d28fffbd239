package io.assetindex.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for {@code scan_history}: a row per run, written when it starts and completed when it ends,
 * so a run whose process died stays there without an end. The newest {@link #MAX_ROWS} are kept:
 * a watcher that rescans a polled watch path every minute fills a week of them.
 */
final class RunHistoryRepository {
    static final int MAX_ROWS = 10_000;
    private static final TypeReference<List<String>> PATHS = new TypeReference<>() {};
    private static final String COUNTS = "files_seen, files_indexed, files_linked, files_skipped, files_failed,"
            + " files_deleted, corrupt_found, warnings_found, bytes_read, bit_rot_found";
    /**
     * Whether an unfinished watcher's run {@code h} was overtaken by a new watcher on its host: a
     * workspace has one watcher at a time, so the one that ran it is gone.
     */
    private static final String SUPERSEDED = "CASE WHEN h.finished_at IS NULL AND h.kind IN ('scan-on-start', 'rescan',"
            + " 'verification') AND EXISTS (SELECT 1 FROM scan_history l WHERE l.kind = 'scan-on-start'"
            + " AND l.id > h.id AND l.host = h.host AND l.process <> h.process) THEN 1 ELSE 0 END";

    /** Records a run that starts; returns its id. Drops the rows beyond the newest {@link #MAX_ROWS}. */
    long start(Connection connection, RunKind kind, String host, long pid, String process, List<String> paths,
            Instant at) throws SQLException {
        long id;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO scan_history (kind, host, pid, process,"
                + " paths_json, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, kind.id());
            insert.setString(2, host);
            insert.setLong(3, pid);
            insert.setString(4, process);
            insert.setString(5, Json.write(paths));
            insert.setString(6, Timestamps.stored(at));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM scan_history WHERE id <= ?")) {
            delete.setLong(1, id - MAX_ROWS);
            delete.executeUpdate();
        }
        return id;
    }

    /** Records the end of a run (once: a run that already ended keeps its first end); counts may be null. */
    void finish(Connection connection, long id, RunCounts counts, RunOutcome outcome, String notes, Instant at)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE scan_history SET finished_at = ?,"
                + " outcome = ?, notes = ?, (" + COUNTS + ") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " WHERE id = ? AND finished_at IS NULL")) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, outcome.id());
            update.setString(3, notes);
            long[] values = counts == null ? null : new long[] {counts.seen(), counts.indexed(), counts.linked(),
                    counts.skipped(), counts.failed(), counts.deleted(), counts.corrupt(), counts.warnings(),
                    counts.bytesRead(), counts.bitRot()};
            for (int i = 0; i < 10; i++) {
                if (values == null) {
                    update.setNull(4 + i, Types.INTEGER);
                } else {
                    update.setLong(4 + i, values[i]);
                }
            }
            update.setLong(14, id);
            update.executeUpdate();
        }
    }

    /** How many runs there are of a kind (null: of every kind). */
    long count(Connection connection, RunKind kind) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM scan_history WHERE CAST(?1 AS TEXT) IS NULL OR kind = ?1")) {
            query.setString(1, kind == null ? null : kind.id());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** A page of the runs of a kind (null: of every kind), newest first. */
    List<RecordedRun> page(Connection connection, RunKind kind, int limit, int offset) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, kind, host, pid, process, paths_json,"
                + " started_at, finished_at, outcome, notes, " + SUPERSEDED + ", " + COUNTS + " FROM scan_history h"
                + " WHERE CAST(?1 AS TEXT) IS NULL OR kind = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3")) {
            query.setString(1, kind == null ? null : kind.id());
            query.setInt(2, limit);
            query.setInt(3, offset);
            List<RecordedRun> runs = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    runs.add(run(rs));
                }
            }
            return runs;
        }
    }

    /** Deletes up to {@code limit} of the oldest runs that started before {@code before}; returns how many. */
    int deleteOldest(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM scan_history WHERE id IN"
                + " (SELECT id FROM scan_history WHERE started_at < ? ORDER BY id LIMIT ?)")) {
            delete.setString(1, Timestamps.stored(before));
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    private static RecordedRun run(ResultSet rs) throws SQLException {
        String finishedAt = rs.getString(8);
        String outcome = rs.getString(9);
        RunCounts counts = null;
        if (rs.getObject(12) != null) {
            counts = new RunCounts(rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                    rs.getLong(17), rs.getLong(18), rs.getLong(19), rs.getLong(20), rs.getLong(21));
        }
        return new RecordedRun(rs.getLong(1), RunKind.fromId(rs.getString(2)).orElseThrow(), rs.getString(3),
                rs.getLong(4), rs.getString(5), paths(rs.getString(6)), Timestamps.parse(rs.getString(7)),
                finishedAt == null ? null : Timestamps.parse(finishedAt),
                outcome == null ? null : RunOutcome.fromId(outcome), counts, rs.getString(10), rs.getInt(11) == 1);
    }

    /** The paths as written; none when the JSON does not read (edited by hand). */
    private static List<String> paths(String json) {
        try {
            return Json.MAPPER.readValue(json, PATHS);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}

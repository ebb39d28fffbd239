package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The watchers of an index: a row each in {@code watchers} (its host, workspace, watch paths, pid,
 * heartbeat, state and counts), and on PostgreSQL the ownership of its watch paths.
 *
 * <p>Ownership: a watcher holds a session-level advisory lock per (host, watch path) on a connection
 * of its own, outside the pool, for as long as it runs; PostgreSQL releases the locks when that
 * session ends (the process died, or the server restarted), so a lock is never left behind. The key
 * is the first 64 bits of the SHA-256 of {@code host + '\0' + watch path}: two different pairs
 * share a key with a probability of about n²/2⁶⁵ (for a thousand watch paths, 3·10⁻¹⁴), and
 * would then only exclude each other. On SQLite there are no locks: the workspace's lock file
 * lets one watcher use the file.
 */
public final class WatcherRegistry {
    /** How often a running watcher writes its heartbeat. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** A watcher whose heartbeat is older than this is stale (stopped without saying so, or hung). */
    public static final Duration ALIVE_WITHIN = HEARTBEAT.multipliedBy(3);

    private final IndexDatabase database;
    private final Clock clock;

    public WatcherRegistry(IndexDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A watcher's row. Times are instants; {@code alive} is its heartbeat within {@link #ALIVE_WITHIN} of now. */
    public record Watcher(String host, String workspace, List<String> watchPaths, long pid, Instant startedAt,
            Instant heartbeatAt, String state, long filesIndexed, long filesFailed, long queueDepth, String version,
            String apiUrl, String lastError, boolean alive) {}

    /** What a running watcher says in its heartbeat. */
    public record Beat(String state, long filesIndexed, long filesFailed, long queueDepth, String apiUrl,
            String lastError) {}

    /** Another watcher owns a watch path; {@link #holder} says which, as far as the watchers table tells. */
    public static final class OwnedElsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Watcher> holder;
        private final String watchPath;

        OwnedElsewhere(String watchPath, Optional<Watcher> holder) {
            super("watch path " + watchPath + " is owned by another watcher");
            this.watchPath = watchPath;
            this.holder = holder;
        }

        public String watchPath() {
            return watchPath;
        }

        public Optional<Watcher> holder() {
            return holder;
        }
    }

    /** Every watcher the index knows, by host and workspace. */
    public List<Watcher> all() {
        Instant now = clock.instant();
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT host, workspace, watch_paths, pid, started_at,"
                    + " heartbeat_at, state, files_indexed, files_failed, queue_depth, version, api_url, last_error"
                    + " FROM watchers ORDER BY host, workspace")) {
                List<Watcher> out = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Instant beat = Timestamps.parse(rs.getString(6));
                        String state = rs.getString(7);
                        out.add(new Watcher(rs.getString(1), rs.getString(2), paths(rs.getString(3)), rs.getLong(4),
                                Timestamps.parse(rs.getString(5)), beat, state, rs.getLong(8), rs.getLong(9),
                                rs.getLong(10), rs.getString(11), rs.getString(12), rs.getString(13),
                                !"stopped".equals(state) && !beat.isBefore(now.minus(ALIVE_WITHIN))));
                    }
                }
                return out;
            }
        });
    }

    private static List<String> paths(String json) {
        try {
            return List.of(io.assetindex.util.Json.MAPPER.readValue(json, String[].class));
        } catch (java.io.IOException e) {
            return List.of(json);
        }
    }

    /**
     * Takes the watch paths of a watcher starting in {@code workspace} on this host and writes its row.
     *
     * @throws OwnedElsewhere when another watcher on this host owns one of them (PostgreSQL)
     */
    public Ownership register(String workspace, List<String> watchPaths, long pid, String version) {
        Ownership ownership = new Ownership(workspace, watchPaths, pid);
        try {
            ownership.lock();
            ownership.write("INSERT INTO watchers (host, workspace, watch_paths, pid, started_at, heartbeat_at, state,"
                    + " version) VALUES (?, ?, ?, ?, ?, ?, 'starting', ?) ON CONFLICT (host, workspace) DO UPDATE SET"
                    + " watch_paths = excluded.watch_paths, pid = excluded.pid, started_at = excluded.started_at,"
                    + " heartbeat_at = excluded.heartbeat_at, state = 'starting', files_indexed = 0, files_failed = 0,"
                    + " queue_depth = 0, version = excluded.version, api_url = NULL, last_error = NULL",
                    database.host(), workspace, io.assetindex.util.Json.write(watchPaths), pid, now(), now(), version);
        } catch (RuntimeException | Error e) {
            ownership.releaseQuietly();
            throw e;
        }
        return ownership;
    }

    private String now() {
        return Timestamps.stored(clock.instant());
    }

    /** The lock key of a watch path of a host. */
    static long lockKey(String host, String watchPath) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((host + '\0' + watchPath).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What re-taking the locks after their session was lost found. */
    public enum Retake {
        /** The locks are held (again). */
        HELD,
        /** The server cannot be reached yet: try again later. */
        SERVER_DOWN,
        /** Another watcher took a watch path meanwhile. */
        TAKEN
    }

    /** One watcher's ownership of its watch paths and its row; {@link #close()} marks it stopped and lets them go. */
    public final class Ownership implements AutoCloseable {
        private final String workspace;
        private final List<String> watchPaths;
        private final long pid;
        private Connection session;

        private Ownership(String workspace, List<String> watchPaths, long pid) {
            this.workspace = workspace;
            this.watchPaths = List.copyOf(watchPaths);
            this.pid = pid;
        }

        private void lock() {
            if (database.dialect() != Dialect.POSTGRESQL) {
                return;
            }
            try {
                session = database.dedicatedConnection();
                try (PreparedStatement take = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    for (String watchPath : watchPaths) {
                        take.setLong(1, lockKey(database.host(), watchPath));
                        try (ResultSet rs = take.executeQuery()) {
                            rs.next();
                            if (!rs.getBoolean(1)) {
                                throw new OwnedElsewhere(watchPath, holderOf(watchPath));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot take the watch paths' locks in " + database.describe() + ": "
                        + PostgresConnections.firstLine(e.getMessage()), e);
            }
        }

        /** The live watcher of this host whose watch paths hold {@code watchPath}, else the latest such one. */
        private Optional<Watcher> holderOf(String watchPath) {
            return all().stream().filter(w -> w.host().equals(database.host()) && w.watchPaths().contains(watchPath)
                    && pid != w.pid()).max(java.util.Comparator.comparing(Watcher::alive)
                            .thenComparing(Watcher::heartbeatAt));
        }

        /**
         * Whether the locks' session is still there (PostgreSQL; always true on SQLite). A session lost
         * to a server restart let the locks go.
         */
        public boolean sessionAlive() {
            if (session == null) {
                return database.dialect() != Dialect.POSTGRESQL;
            }
            try {
                return session.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        }

        /** After the session was lost: takes the locks again on a new one. */
        public Retake retake() {
            closeSession();
            try {
                lock();
                return Retake.HELD;
            } catch (OwnedElsewhere e) {
                closeSession();
                return Retake.TAKEN;
            } catch (StoreException e) {
                closeSession();
                return Retake.SERVER_DOWN;
            }
        }

        /** Writes the heartbeat: now, the state and counts. */
        public void beat(Beat beat) {
            write("UPDATE watchers SET heartbeat_at = ?, state = ?, files_indexed = ?, files_failed = ?,"
                    + " queue_depth = ?, api_url = ?, last_error = ? WHERE host = ? AND workspace = ? AND pid = ?",
                    now(), beat.state(), beat.filesIndexed(), beat.filesFailed(), beat.queueDepth(), beat.apiUrl(),
                    beat.lastError(), database.host(), workspace, pid);
        }

        private void write(String sql, Object... values) {
            database.write(c -> {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    for (int i = 0; i < values.length; i++) {
                        statement.setObject(i + 1, values[i]);
                    }
                    return statement.executeUpdate();
                }
            });
        }

        /** Marks the row stopped and lets the watch paths go. */
        @Override
        public void close() {
            try {
                write("UPDATE watchers SET state = 'stopped', heartbeat_at = ?, queue_depth = 0 WHERE host = ?"
                        + " AND workspace = ? AND pid = ?", now(), database.host(), workspace, pid);
            } finally {
                releaseQuietly();
            }
        }

        private void releaseQuietly() {
            closeSession(); // ending the session releases its advisory locks
        }

        private void closeSession() {
            if (session != null) {
                try {
                    session.close();
                } catch (SQLException e) {
                    // the session is gone either way, and its locks with it
                }
                session = null;
            }
        }
    }
}

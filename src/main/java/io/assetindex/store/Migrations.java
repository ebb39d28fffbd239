package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import io.assetindex.util.Timestamps;
import java.util.List;

/**
 * The numbered schema migrations, applied in order, each in its own transaction together
 * with its row in {@code schema_migrations}. A migration is never edited once released;
 * changes go in a new one. {@code .asset_index.example/schema.sql} is what they produce
 * (SchemaFileTest keeps it equal).
 */
final class Migrations {

    /**
     * @param statements the SQL, run in order
     * @param fill       work done after the statements in the same transaction (filling a new table
     *                   from existing rows, with progress), or null
     */
    record Migration(int version, String description, List<String> statements, Fill fill) {
        Migration(int version, String description, List<String> statements) {
            this(version, description, statements, null);
        }
    }

    /** Rows a migration writes from the rows there are, in batches, saying how far it got. */
    interface Fill {
        /** @param host the machine running the upgrade (config {@code host_name}) */
        void run(Connection connection, Progress progress, String host) throws SQLException;
    }

    /** How far a long migration got: said on stderr by commands and in the log by the watcher. */
    static final class Progress {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migrations.class);
        /** Fewer rows than this are done before anyone waits for them: nothing is said. */
        static final long WORTH_SAYING = 20_000;
        private static final long EVERY_NANOS = 2_000_000_000L;

        private final String databaseName;
        private final Migration migration;
        private long total;
        private long lastSaid;

        Progress(String databaseName, Migration migration) {
            this.databaseName = databaseName;
            this.migration = migration;
        }

        /** The work starts: {@code total} rows. */
        void start(long total, String what) {
            this.total = total;
            if (total >= WORTH_SAYING) {
                LOG.info("upgrading {} (migration {}, {}): {} {} to go through, once", databaseName,
                        migration.version(), migration.description(), String.format("%,d", total), what);
                lastSaid = System.nanoTime();
            }
        }

        /** {@code rows} of the total are done (said every few seconds). */
        void done(long rows) {
            if (total >= WORTH_SAYING && System.nanoTime() - lastSaid > EVERY_NANOS) {
                say(rows);
            }
        }

        /** All the work is done: {@code rows} rows. */
        void finished(long rows) {
            if (total >= WORTH_SAYING) {
                say(rows);
            }
        }

        private void say(long rows) {
            LOG.info("upgrading {} (migration {}): {} of {} done ({}%)", databaseName, migration.version(),
                    String.format("%,d", rows), String.format("%,d", total), rows * 100 / Math.max(1, total));
            lastSaid = System.nanoTime();
        }
    }

    /**
     * The capture time the probe stored in raw_json, as it wrote it: an image's EXIF capture time
     * ({@code probe.captured_at}: local time, with the offset when the camera recorded one), a
     * video's container creation time ({@code probe.created_at}); null when absent or not text.
     * Part of released migration 6: never edit (see {@link #CAPTURE_KEY}).
     *
     * <p>No column holds it: a column would appear in every {@code SELECT *} reader (show, export)
     * and every writer of assets (scan, re-analysis, import) would have to fill it. The index on
     * {@link #CAPTURE_KEY} is computed by SQLite on every write of raw_json, whoever writes it.
     * {@code json_valid} guards it: an index expression that fails would fail every write of the
     * row, and so the indexing of that file.
     */
    static final String CAPTURED_AT = "CASE WHEN json_valid(raw_json) THEN coalesce("
            + "CASE json_type(raw_json, '$.probe.captured_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.captured_at') END, "
            + "CASE json_type(raw_json, '$.probe.created_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.created_at') END)"
            + " END";

    /**
     * The order of capture times: {@code yyyy-MM-ddTHH:mm:ss.SSS}, in UTC when the time carries an
     * offset, else the clock time as recorded (the camera's zone is unknown); null when the text
     * does not read as a date and time (a bare number would read as a Julian day: hence the GLOB).
     * Part of released migration 6, whose index is on exactly this expression: a query uses that
     * index only when it orders by the same expression, so never edit it; a different order needs
     * a new constant, a new migration and a new index.
     */
    static final String CAPTURE_KEY = "CASE WHEN (" + CAPTURED_AT + ") GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
            + " THEN strftime('%Y-%m-%dT%H:%M:%f', " + CAPTURED_AT + ") END";

    static final List<Migration> ALL = List.of(
            new Migration(1, "assets, paths, process log, analysis cache, vectors", List.of(
                    """
                    CREATE TABLE assets (
                        id               TEXT PRIMARY KEY CHECK (length(id) = 64),
                        file_name        TEXT NOT NULL,
                        file_path        TEXT NOT NULL,
                        source_root      TEXT NOT NULL,
                        job_id           TEXT,
                        media_type       TEXT NOT NULL CHECK (media_type IN ('image', 'video', 'audio')),
                        size_bytes       INTEGER NOT NULL,
                        mtime            REAL NOT NULL,
                        width            INTEGER,
                        height           INTEGER,
                        duration_seconds REAL,
                        fps              REAL,
                        has_audio        INTEGER,
                        style            TEXT,
                        summary          TEXT,
                        transcript       TEXT,
                        audio_role       TEXT,
                        tags_json        TEXT,
                        mood_json        TEXT,
                        scenes_json      TEXT,
                        raw_json         TEXT,
                        embed_source     TEXT,
                        embed_model      TEXT,
                        indexed_at       TEXT NOT NULL
                    )""",
                    "CREATE INDEX assets_media_type ON assets (media_type)",
                    "CREATE INDEX assets_job_id ON assets (job_id) WHERE job_id IS NOT NULL",
                    """
                    CREATE TABLE asset_paths (
                        id            INTEGER PRIMARY KEY,
                        asset_id      TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                        source_root   TEXT NOT NULL,
                        rel_path      TEXT NOT NULL,
                        abs_path      TEXT NOT NULL,
                        job_id        TEXT,
                        size_bytes    INTEGER NOT NULL,
                        mtime_ns      INTEGER NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        last_seen_at  TEXT NOT NULL,
                        deleted_at    TEXT,
                        UNIQUE (source_root, rel_path)
                    )""",
                    "CREATE INDEX asset_paths_asset_id ON asset_paths (asset_id)",
                    "CREATE INDEX asset_paths_abs_path ON asset_paths (abs_path)",
                    """
                    CREATE TABLE process_log (
                        id           INTEGER PRIMARY KEY,
                        file_path    TEXT NOT NULL,
                        content_hash TEXT,
                        status       TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
                        stage        TEXT,
                        error        TEXT,
                        detail       TEXT,
                        duration_ms  INTEGER NOT NULL,
                        ran_at       TEXT NOT NULL
                    )""",
                    "CREATE INDEX process_log_status ON process_log (status, id)",
                    "CREATE INDEX process_log_file_path ON process_log (file_path, id)",
                    "CREATE INDEX process_log_content_hash ON process_log (content_hash) WHERE content_hash IS NOT NULL",
                    """
                    CREATE TABLE analysis_cache (
                        asset_id    TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                        analyzer    TEXT NOT NULL,
                        config_hash TEXT NOT NULL,
                        result_json TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        created_at  TEXT NOT NULL,
                        PRIMARY KEY (asset_id, analyzer, config_hash)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE assets_vec (
                        id        TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
                        embedding BLOB NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(2, "analysis cache for any content (corrupt files too); integrity and derived-file views",
                    List.of(
                    """
                    CREATE TABLE analysis_cache_v2 (
                        asset_id    TEXT NOT NULL,
                        analyzer    TEXT NOT NULL,
                        config_hash TEXT NOT NULL,
                        result_json TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        created_at  TEXT NOT NULL,
                        PRIMARY KEY (asset_id, analyzer, config_hash)
                    ) WITHOUT ROWID""",
                    "INSERT INTO analysis_cache_v2 SELECT asset_id, analyzer, config_hash, result_json, duration_ms,"
                            + " created_at FROM analysis_cache",
                    "DROP TABLE analysis_cache",
                    "ALTER TABLE analysis_cache_v2 RENAME TO analysis_cache",
                    "CREATE INDEX analysis_cache_analyzer ON analysis_cache (analyzer, config_hash)",
                    """
                    CREATE VIEW integrity_checks AS
                    SELECT asset_id AS content_hash, config_hash,
                           json_extract(result_json, '$.corrupt') AS corrupt,
                           json_extract(result_json, '$.warning') AS warning,
                           json_extract(result_json, '$.details') AS details,
                           json_extract(result_json, '$.tool') AS tool,
                           json_extract(result_json, '$.mode') AS mode,
                           json_extract(result_json, '$.check_ms') AS check_ms,
                           created_at AS checked_at
                    FROM analysis_cache WHERE analyzer = 'integrity'""",
                    """
                    CREATE VIEW derived_files AS
                    SELECT asset_id AS input_hash, analyzer AS kind, config_hash AS params_hash,
                           json_extract(result_json, '$.size') AS size,
                           json_extract(result_json, '$.quality') AS quality,
                           json_extract(result_json, '$.sha256') AS output_hash,
                           json_extract(result_json, '$.path') AS output_path,
                           json_extract(result_json, '$.bytes') AS bytes,
                           created_at
                    FROM analysis_cache WHERE analyzer = 'thumbnail'""")),
            new Migration(3, "embedding models; vectors of a model being built", List.of(
                    """
                    CREATE TABLE embedding_models (
                        config_hash   TEXT PRIMARY KEY,
                        model         TEXT NOT NULL,
                        dimension     INTEGER NOT NULL CHECK (dimension > 0),
                        identity_json TEXT NOT NULL,
                        state         TEXT NOT NULL CHECK (state IN ('active', 'building')),
                        created_at    TEXT NOT NULL,
                        activated_at  TEXT
                    )""",
                    "CREATE UNIQUE INDEX embedding_models_one_per_state ON embedding_models (state)",
                    """
                    CREATE TABLE assets_vec_next (
                        id        TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
                        embedding BLOB NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(4, "failures remembered per file; files in flight; the volumes of each watch path", List.of(
                    """
                    CREATE TABLE failed_files (
                        source_root     TEXT NOT NULL,
                        rel_path        TEXT NOT NULL,
                        size_bytes      INTEGER NOT NULL,
                        mtime_ns        INTEGER NOT NULL,
                        content_hash    TEXT,
                        stage           TEXT NOT NULL,
                        error           TEXT NOT NULL,
                        pipeline        TEXT NOT NULL,
                        retry_after     TEXT,
                        failures        INTEGER NOT NULL,
                        first_failed_at TEXT NOT NULL,
                        last_failed_at  TEXT NOT NULL,
                        PRIMARY KEY (source_root, rel_path)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE files_in_flight (
                        source_root  TEXT NOT NULL,
                        rel_path     TEXT NOT NULL,
                        display_path TEXT NOT NULL,
                        size_bytes   INTEGER NOT NULL,
                        mtime_ns     INTEGER NOT NULL,
                        content_hash TEXT NOT NULL,
                        owner        TEXT NOT NULL,
                        alone        INTEGER NOT NULL,
                        crashes      INTEGER NOT NULL,
                        started_at   TEXT NOT NULL,
                        PRIMARY KEY (source_root, rel_path)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE volumes (
                        source_root TEXT NOT NULL,
                        rel_prefix  TEXT NOT NULL,
                        device      TEXT NOT NULL,
                        files       INTEGER NOT NULL,
                        seen_at     TEXT NOT NULL,
                        held_since  TEXT,
                        held_reason TEXT,
                        PRIMARY KEY (source_root, rel_prefix)
                    ) WITHOUT ROWID""")),
            new Migration(5, "a feed of the changes searches must follow, written by triggers for every writer", List.of(
                    """
                    CREATE TABLE index_changes (
                        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
                        asset_id TEXT,
                        what     TEXT NOT NULL CHECK (what IN ('vector', 'path', 'asset', 'model')),
                        at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    )""",
                    """
                    CREATE TRIGGER index_changes_vector_insert AFTER INSERT ON assets_vec BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'vector');
                    END""",
                    """
                    CREATE TRIGGER index_changes_vector_update AFTER UPDATE ON assets_vec BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'vector');
                    END""",
                    """
                    CREATE TRIGGER index_changes_vector_delete AFTER DELETE ON assets_vec BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (OLD.id, 'vector');
                    END""",
                    """
                    CREATE TRIGGER index_changes_path_insert AFTER INSERT ON asset_paths BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NEW.asset_id, 'path');
                    END""",
                    """
                    CREATE TRIGGER index_changes_path_update
                    AFTER UPDATE OF asset_id, deleted_at, source_root, rel_path, job_id ON asset_paths
                    WHEN OLD.asset_id IS NOT NEW.asset_id OR OLD.deleted_at IS NOT NEW.deleted_at
                        OR OLD.source_root IS NOT NEW.source_root OR OLD.rel_path IS NOT NEW.rel_path
                        OR OLD.job_id IS NOT NEW.job_id BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
                        INSERT INTO index_changes (asset_id, what) SELECT NEW.asset_id, 'path'
                            WHERE NEW.asset_id IS NOT OLD.asset_id;
                    END""",
                    """
                    CREATE TRIGGER index_changes_path_delete AFTER DELETE ON asset_paths BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
                    END""",
                    """
                    CREATE TRIGGER index_changes_asset_update AFTER UPDATE OF tags_json, mood_json, audio_role ON assets
                    WHEN OLD.tags_json IS NOT NEW.tags_json OR OLD.mood_json IS NOT NEW.mood_json
                        OR OLD.audio_role IS NOT NEW.audio_role BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'asset');
                    END""",
                    """
                    CREATE TRIGGER index_changes_model_insert AFTER INSERT ON embedding_models BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
                    END""",
                    """
                    CREATE TRIGGER index_changes_model_update AFTER UPDATE ON embedding_models BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
                    END""",
                    """
                    CREATE TRIGGER index_changes_model_delete AFTER DELETE ON embedding_models BEGIN
                        INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
                    END""")),
            new Migration(6, "indexes for browsing: by time indexed, capture time, name, size, duration; live paths",
                    List.of(
                    // Every sort key ends in id, so one index serves a sort both ways (newest and oldest) and
                    // ties come in a fixed order: paging never skips or repeats an asset.
                    "CREATE INDEX assets_indexed_at ON assets (indexed_at, id)",
                    "CREATE INDEX assets_captured ON assets ((" + CAPTURE_KEY + "), id)",
                    "CREATE INDEX assets_file_name ON assets (file_name COLLATE NOCASE, id)",
                    "CREATE INDEX assets_size_bytes ON assets (size_bytes, id)",
                    "CREATE INDEX assets_duration ON assets (duration_seconds, id)",
                    // The live paths only: "has a live path" is then one covering lookup, and counting the
                    // assets that have one reads this index alone.
                    "CREATE INDEX asset_paths_live ON asset_paths (asset_id) WHERE deleted_at IS NULL")),
            new Migration(7, "a keyword index (FTS5) over names, folders, jobs, cameras and what analysis found,"
                    + " kept by triggers", KeywordIndex.MIGRATION,
                    (connection, progress, host) -> KeywordIndex.fill(connection, progress)),
            new Migration(8, "what the last whole walk of each watch path left out because of extensions", List.of(
                    """
                    CREATE TABLE left_out (
                        source_root     TEXT PRIMARY KEY,
                        files           INTEGER NOT NULL,
                        other_files     INTEGER NOT NULL,
                        extensions_json TEXT NOT NULL,
                        counted_at      TEXT NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(9, "an index of the integrity results that found damage or warnings", List.of(
                    // Partial: only the few flagged results are in it, so 'integrity' and status read those alone
                    // rather than every content's verdict. json_valid guards it (see CAPTURED_AT).
                    "CREATE INDEX analysis_cache_integrity_flagged ON analysis_cache (asset_id) WHERE "
                            + IntegrityRepository.FLAGGED)),
            new Migration(10, "the scan history: a row per scan, rescan and verification, written as it starts and"
                    + " completed as it ends", List.of(
                    """
                    CREATE TABLE scan_history (
                        id             INTEGER PRIMARY KEY,
                        kind           TEXT NOT NULL
                                       CHECK (kind IN ('scan', 'scan-on-start', 'rescan', 'verify', 'verification')),
                        host           TEXT NOT NULL,
                        pid            INTEGER NOT NULL,
                        process        TEXT NOT NULL,
                        paths_json     TEXT NOT NULL,
                        started_at     TEXT NOT NULL,
                        finished_at    TEXT,
                        outcome        TEXT CHECK (outcome IN ('ok', 'interrupted', 'failed')),
                        files_seen     INTEGER,
                        files_indexed  INTEGER,
                        files_linked   INTEGER,
                        files_skipped  INTEGER,
                        files_failed   INTEGER,
                        files_deleted  INTEGER,
                        corrupt_found  INTEGER,
                        warnings_found INTEGER,
                        bytes_read     INTEGER,
                        bit_rot_found  INTEGER,
                        notes          TEXT,
                        CHECK ((finished_at IS NULL) = (outcome IS NULL))
                    )""",
                    "CREATE INDEX scan_history_kind ON scan_history (kind, id)")),
            new Migration(11, "config snapshots: every config hash once, with the settings it stands for", List.of(
                    """
                    CREATE TABLE config_snapshots (
                        config_hash     TEXT PRIMARY KEY,
                        analyzer        TEXT NOT NULL,
                        settings_text   TEXT NOT NULL,
                        settings_json   TEXT NOT NULL,
                        program_version TEXT NOT NULL,
                        recorded_at     TEXT NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(12, "contents accepted as good despite their integrity verdict", List.of(
                    """
                    CREATE TABLE integrity_accepted (
                        content_hash TEXT PRIMARY KEY CHECK (length(content_hash) = 64),
                        accepted_by  TEXT NOT NULL,
                        host         TEXT NOT NULL,
                        note         TEXT,
                        verdict      TEXT,
                        accepted_at  TEXT NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(13, "when each live path was last read and its hash compared; files whose bytes changed"
                    + " without their size or mtime changing", List.of(
                    "ALTER TABLE asset_paths ADD COLUMN verified_at TEXT",
                    // Indexing a file hashes it: until its first re-verification it counts as verified when first seen.
                    "CREATE INDEX asset_paths_verify_due ON asset_paths (" + VerificationRepository.LAST_VERIFIED
                            + ") WHERE deleted_at IS NULL",
                    """
                    CREATE TABLE bit_rot (
                        source_root   TEXT NOT NULL,
                        rel_path      TEXT NOT NULL,
                        expected_hash TEXT NOT NULL,
                        found_hash    TEXT NOT NULL,
                        size_bytes    INTEGER NOT NULL,
                        mtime_ns      INTEGER NOT NULL,
                        found_at      TEXT NOT NULL,
                        PRIMARY KEY (source_root, rel_path)
                    ) WITHOUT ROWID""")),
            new Migration(14, "the shape of each asset (type, size as shown, duration) by id, in an index of its own",
                    List.of(SearchRepository.SHAPE_INDEX)),
            new Migration(15, "counts kept by triggers in index_tallies: status's totals and the facets of the"
                    + " unfiltered listing", IndexTallies.SCHEMA, Migrations::countTallies),
            new Migration(HostMigration.VERSION, HostMigration.DESCRIPTION, HostMigration.SQLITE, HostMigration::fill),

            new Migration(17, "the change feed ordered by writing transaction (always 0 here: SQLite has one writer"
                    + " at a time), and how far it was trimmed", ChangeRepository.sqliteSchema()),
            new Migration(HostRowsMigration.VERSION, HostRowsMigration.DESCRIPTION, HostRowsMigration.SQLITE,
                    HostRowsMigration::fill),
            new Migration(19, ListRepository.JOB_INDEX_DESCRIPTION, List.of(ListRepository.JOB_INDEX)));

    /** Migration 15's fill: every tally counted once from the rows there are (a million assets: seconds). */
    private static void countTallies(Connection connection, Progress progress, String host) throws SQLException {
        long assets;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(rowid), 0) FROM assets")) {
            rs.next();
            assets = rs.getLong(1);
        }
        progress.start(assets, "assets counted");
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < IndexTallies.FILL.size(); i++) {
                statement.execute(IndexTallies.FILL.get(i));
                progress.done(assets * (i + 1) / IndexTallies.FILL.size());
            }
        }
        progress.finished(assets);
    }

    static final int LATEST = ALL.get(ALL.size() - 1).version();

    private Migrations() {}

    /** The version recorded in the database, 0 for a new one. */
    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version     INTEGER PRIMARY KEY,
                        description TEXT NOT NULL,
                        applied_at  TEXT NOT NULL
                    )""");
        }
        return recordedVersion(connection);
    }

    /** The version recorded in a database that has the table; reads only. */
    static int recordedVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Brings the schema to {@link #LATEST}. Refuses a database written by a newer program,
     * because its rows may mean things this version does not know. A migration that fails in any
     * way, an {@link Error} included, is rolled back whole, so the next run applies it again.
     */
    static void apply(Connection connection, String databaseName, Clock clock, Dialect dialect, String host)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            lockAgainstOtherMigrations(connection, dialect);
            int current = currentVersion(connection);
            connection.commit();
            int latest = dialect.latestVersion();
            if (current > latest) {
                throw new StoreException("index database " + databaseName + " has schema version " + current
                        + ", newer than this asset-index understands (" + latest + "); upgrade asset-index,"
                        + (dialect == Dialect.SQLITE ? " or move the file away to rebuild the index"
                                : " or point database.url at another database"));
            }
            for (Migration migration : dialect.migrations()) {
                if (migration.version() > current) {
                    applyOne(connection, migration, clock, new Progress(databaseName, migration), dialect, host);
                }
            }
        } catch (Throwable e) {
            // When even the rollback fails, auto-commit stays off (turning it on would commit half a migration)
            // and the caller closes the connection.
            FailedTransaction.rollBack(connection, e);
            throw e;
        }
        connection.setAutoCommit(true);
    }

    /**
     * On PostgreSQL, waits until no other program migrates this database, for the rest of the
     * transaction: SQLite's write transaction excludes other writers by itself, PostgreSQL's does not
     * (two programs creating schema_migrations at once would collide).
     */
    private static void lockAgainstOtherMigrations(Connection connection, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement lock = connection.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(hashtext('asset-index schema_migrations'))");
            }
        }
    }

    private static void applyOne(Connection connection, Migration migration, Clock clock, Progress progress,
            Dialect dialect, String host) throws SQLException {
        lockAgainstOtherMigrations(connection, dialect);
        // Another process may have applied it since we looked: re-check inside the write transaction.
        if (currentVersion(connection) >= migration.version()) {
            connection.commit();
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : migration.statements()) {
                statement.execute(sql);
            }
        }
        if (migration.fill() != null) {
            migration.fill().run(connection, progress, host);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setString(3, Timestamps.stored(clock.instant()));
            insert.executeUpdate();
        }
        connection.commit();
    }
}

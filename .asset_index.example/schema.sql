-- Generated from the migrations by SchemaFileTest; do not edit.
-- Schema version 19. Regenerate: mvn test -Dtest=SchemaFileTest -Dschema.update=true

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

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
);

CREATE INDEX assets_media_type ON assets (media_type);

CREATE INDEX assets_job_id ON assets (job_id) WHERE job_id IS NOT NULL;

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
    deleted_at    TEXT, verified_at TEXT, host TEXT NOT NULL DEFAULT '',
    UNIQUE (source_root, rel_path)
);

CREATE INDEX asset_paths_asset_id ON asset_paths (asset_id);

CREATE INDEX asset_paths_abs_path ON asset_paths (abs_path);

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
);

CREATE INDEX process_log_status ON process_log (status, id);

CREATE INDEX process_log_file_path ON process_log (file_path, id);

CREATE INDEX process_log_content_hash ON process_log (content_hash) WHERE content_hash IS NOT NULL;

CREATE TABLE assets_vec (
    id        TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
    embedding BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE "analysis_cache" (
    asset_id    TEXT NOT NULL,
    analyzer    TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    result_json TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (asset_id, analyzer, config_hash)
) WITHOUT ROWID;

CREATE INDEX analysis_cache_analyzer ON analysis_cache (analyzer, config_hash);

CREATE VIEW integrity_checks AS
SELECT asset_id AS content_hash, config_hash,
       json_extract(result_json, '$.corrupt') AS corrupt,
       json_extract(result_json, '$.warning') AS warning,
       json_extract(result_json, '$.details') AS details,
       json_extract(result_json, '$.tool') AS tool,
       json_extract(result_json, '$.mode') AS mode,
       json_extract(result_json, '$.check_ms') AS check_ms,
       created_at AS checked_at
FROM analysis_cache WHERE analyzer = 'integrity';

CREATE VIEW derived_files AS
SELECT asset_id AS input_hash, analyzer AS kind, config_hash AS params_hash,
       json_extract(result_json, '$.size') AS size,
       json_extract(result_json, '$.quality') AS quality,
       json_extract(result_json, '$.sha256') AS output_hash,
       json_extract(result_json, '$.path') AS output_path,
       json_extract(result_json, '$.bytes') AS bytes,
       created_at
FROM analysis_cache WHERE analyzer = 'thumbnail';

CREATE TABLE embedding_models (
    config_hash   TEXT PRIMARY KEY,
    model         TEXT NOT NULL,
    dimension     INTEGER NOT NULL CHECK (dimension > 0),
    identity_json TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('active', 'building')),
    created_at    TEXT NOT NULL,
    activated_at  TEXT
);

CREATE UNIQUE INDEX embedding_models_one_per_state ON embedding_models (state);

CREATE TABLE assets_vec_next (
    id        TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
    embedding BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE index_changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_id TEXT,
    what     TEXT NOT NULL CHECK (what IN ('vector', 'path', 'asset', 'model')),
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
, xid INTEGER NOT NULL DEFAULT 0);

CREATE TABLE sqlite_sequence(name,seq);

CREATE TRIGGER index_changes_vector_insert AFTER INSERT ON assets_vec BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'vector');
END;

CREATE TRIGGER index_changes_vector_update AFTER UPDATE ON assets_vec BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'vector');
END;

CREATE TRIGGER index_changes_vector_delete AFTER DELETE ON assets_vec BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (OLD.id, 'vector');
END;

CREATE TRIGGER index_changes_path_insert AFTER INSERT ON asset_paths BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NEW.asset_id, 'path');
END;

CREATE TRIGGER index_changes_path_update
AFTER UPDATE OF asset_id, deleted_at, source_root, rel_path, job_id ON asset_paths
WHEN OLD.asset_id IS NOT NEW.asset_id OR OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.source_root IS NOT NEW.source_root OR OLD.rel_path IS NOT NEW.rel_path
    OR OLD.job_id IS NOT NEW.job_id BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
    INSERT INTO index_changes (asset_id, what) SELECT NEW.asset_id, 'path'
        WHERE NEW.asset_id IS NOT OLD.asset_id;
END;

CREATE TRIGGER index_changes_path_delete AFTER DELETE ON asset_paths BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
END;

CREATE TRIGGER index_changes_asset_update AFTER UPDATE OF tags_json, mood_json, audio_role ON assets
WHEN OLD.tags_json IS NOT NEW.tags_json OR OLD.mood_json IS NOT NEW.mood_json
    OR OLD.audio_role IS NOT NEW.audio_role BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'asset');
END;

CREATE TRIGGER index_changes_model_insert AFTER INSERT ON embedding_models BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
END;

CREATE TRIGGER index_changes_model_update AFTER UPDATE ON embedding_models BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
END;

CREATE TRIGGER index_changes_model_delete AFTER DELETE ON embedding_models BEGIN
    INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
END;

CREATE INDEX assets_indexed_at ON assets (indexed_at, id);

CREATE INDEX assets_captured ON assets ((CASE WHEN (CASE WHEN json_valid(raw_json) THEN coalesce(CASE json_type(raw_json, '$.probe.captured_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.captured_at') END, CASE json_type(raw_json, '$.probe.created_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.created_at') END) END) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN strftime('%Y-%m-%dT%H:%M:%f', CASE WHEN json_valid(raw_json) THEN coalesce(CASE json_type(raw_json, '$.probe.captured_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.captured_at') END, CASE json_type(raw_json, '$.probe.created_at') WHEN 'text' THEN json_extract(raw_json, '$.probe.created_at') END) END) END), id);

CREATE INDEX assets_file_name ON assets (file_name COLLATE NOCASE, id);

CREATE INDEX assets_size_bytes ON assets (size_bytes, id);

CREATE INDEX assets_duration ON assets (duration_seconds, id);

CREATE INDEX asset_paths_live ON asset_paths (asset_id) WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE assets_fts USING fts5(id UNINDEXED, name, folder, job, camera, style, summary, tags, mood, scenes, transcript, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE 'assets_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'assets_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE 'assets_fts_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10);

CREATE TABLE 'assets_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'assets_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE VIEW assets_fts_source AS
SELECT asset_key(a.id) AS key, a.id AS id,
    asset_words(coalesce((SELECT group_concat(DISTINCT substr(p.rel_path, length(rtrim(p.rel_path, replace(p.rel_path, '/', ''))) + 1)) FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL),
        a.file_name)) AS name,
    asset_words((SELECT group_concat(DISTINCT CASE p.source_root WHEN '.' THEN '' ELSE p.source_root || '/'
        END || rtrim(p.rel_path, replace(p.rel_path, '/', ''))) FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL)) AS folder,
    coalesce((SELECT group_concat(DISTINCT p.job_id) FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL AND p.job_id IS NOT NULL), a.job_id) AS job,
    CASE WHEN json_valid(a.raw_json) THEN asset_words(concat_ws(' ',
        json_extract(a.raw_json, '$.probe.camera_make'), json_extract(a.raw_json, '$.probe.camera_model'),
        json_extract(a.raw_json, '$.probe.lens'))) END AS camera,
    a.style AS style,
    a.summary AS summary,
    CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN (SELECT group_concat(value, ' ') FROM json_each(a.tags_json)) END AS tags,
    CASE WHEN json_valid(a.mood_json) AND json_type(a.mood_json) = 'array' THEN (SELECT group_concat(value, ' ') FROM json_each(a.mood_json)) END AS mood,
    CASE WHEN json_valid(a.scenes_json) AND json_type(a.scenes_json) = 'array' THEN
        (SELECT group_concat(CASE type WHEN 'object' THEN json_extract(value, '$.description') ELSE value
        END, ' ') FROM json_each(a.scenes_json)) END AS scenes,
    a.transcript AS transcript
FROM assets a;

CREATE TRIGGER assets_fts_update AFTER UPDATE OF id, file_name, job_id, raw_json, style, summary, tags_json, mood_json, scenes_json, transcript ON assets BEGIN
DELETE FROM assets_fts WHERE rowid = asset_key(OLD.id);
DELETE FROM assets_fts WHERE rowid = asset_key(NEW.id);
INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript FROM assets_fts_source WHERE id = NEW.id;
END;

CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN
DELETE FROM assets_fts WHERE rowid = asset_key(OLD.id);
END;

CREATE TRIGGER assets_fts_path_insert AFTER INSERT ON asset_paths BEGIN
DELETE FROM assets_fts WHERE rowid = asset_key(NEW.asset_id);
INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript FROM assets_fts_source WHERE id = NEW.asset_id;
END;

CREATE TRIGGER assets_fts_path_update AFTER UPDATE OF asset_id, deleted_at, source_root, rel_path, job_id ON asset_paths BEGIN
DELETE FROM assets_fts WHERE rowid = asset_key(OLD.asset_id);
INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript FROM assets_fts_source WHERE id = OLD.asset_id;
DELETE FROM assets_fts WHERE rowid = asset_key(NEW.asset_id);
INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript FROM assets_fts_source WHERE id = NEW.asset_id;
END;

CREATE TRIGGER assets_fts_path_delete AFTER DELETE ON asset_paths BEGIN
DELETE FROM assets_fts WHERE rowid = asset_key(OLD.asset_id);
INSERT INTO assets_fts (rowid, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript) SELECT key, id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript FROM assets_fts_source WHERE id = OLD.asset_id;
END;

CREATE INDEX analysis_cache_integrity_flagged ON analysis_cache (asset_id) WHERE analyzer = 'integrity' AND (CASE WHEN json_valid(result_json) THEN json_extract(result_json, '$.corrupt') = 1 OR json_extract(result_json, '$.warning') = 1 END);

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
);

CREATE INDEX scan_history_kind ON scan_history (kind, id);

CREATE TABLE config_snapshots (
    config_hash     TEXT PRIMARY KEY,
    analyzer        TEXT NOT NULL,
    settings_text   TEXT NOT NULL,
    settings_json   TEXT NOT NULL,
    program_version TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE integrity_accepted (
    content_hash TEXT PRIMARY KEY CHECK (length(content_hash) = 64),
    accepted_by  TEXT NOT NULL,
    host         TEXT NOT NULL,
    note         TEXT,
    verdict      TEXT,
    accepted_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX asset_paths_verify_due ON asset_paths (coalesce(verified_at, first_seen_at)) WHERE deleted_at IS NULL;

CREATE INDEX assets_shape ON assets (id, media_type, width, height, duration_seconds);

CREATE TABLE index_tallies (
    tally TEXT NOT NULL,
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (tally, value)
) WITHOUT ROWID;

CREATE TRIGGER index_tallies_asset_insert AFTER INSERT ON assets BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'assets', * FROM (SELECT NEW.media_type, 1 WHERE true)
UNION ALL SELECT 'asset_bytes', * FROM (SELECT '', NEW.size_bytes WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_asset_insert_listed AFTER INSERT ON assets WHEN EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL) BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'listed_type', * FROM (SELECT a.media_type, 1 FROM assets a WHERE a.id = NEW.id AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), 1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = NEW.id AND j.type = 'text' AND j.value <> '' AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_root', * FROM (SELECT DISTINCT p.source_root, 1 FROM asset_paths p WHERE p.asset_id = NEW.id AND p.deleted_at IS NULL)
UNION ALL SELECT 'listed_job', * FROM (SELECT DISTINCT p.job_id, 1 FROM asset_paths p WHERE p.asset_id = NEW.id AND p.deleted_at IS NULL AND p.job_id IS NOT NULL)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_asset_delete BEFORE DELETE ON assets BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'assets', * FROM (SELECT OLD.media_type, -1 WHERE true)
UNION ALL SELECT 'asset_bytes', * FROM (SELECT '', -OLD.size_bytes WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_asset_delete_listed BEFORE DELETE ON assets WHEN EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.id AND q.deleted_at IS NULL) BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'listed_type', * FROM (SELECT a.media_type, -1 FROM assets a WHERE a.id = OLD.id AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), -1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = OLD.id AND j.type = 'text' AND j.value <> '' AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_root', * FROM (SELECT DISTINCT p.source_root, -1 FROM asset_paths p WHERE p.asset_id = OLD.id AND p.deleted_at IS NULL)
UNION ALL SELECT 'listed_job', * FROM (SELECT DISTINCT p.job_id, -1 FROM asset_paths p WHERE p.asset_id = OLD.id AND p.deleted_at IS NULL AND p.job_id IS NOT NULL)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_asset_update AFTER UPDATE OF media_type, size_bytes, tags_json ON assets WHEN OLD.media_type IS NOT NEW.media_type OR OLD.size_bytes IS NOT NEW.size_bytes OR OLD.tags_json IS NOT NEW.tags_json BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'assets', * FROM (SELECT OLD.media_type, -1 WHERE true)
UNION ALL SELECT 'assets', * FROM (SELECT NEW.media_type, 1 WHERE true)
UNION ALL SELECT 'asset_bytes', * FROM (SELECT '', NEW.size_bytes - OLD.size_bytes WHERE true)
UNION ALL SELECT 'listed_type', * FROM (SELECT OLD.media_type, -1 WHERE EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), -1 FROM json_each(CASE WHEN json_valid(OLD.tags_json) AND json_type(OLD.tags_json) = 'array' THEN OLD.tags_json ELSE '[]' END) j WHERE j.type = 'text' AND j.value <> '' AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_type', * FROM (SELECT NEW.media_type, 1 WHERE EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), 1 FROM json_each(CASE WHEN json_valid(NEW.tags_json) AND json_type(NEW.tags_json) = 'array' THEN NEW.tags_json ELSE '[]' END) j WHERE j.type = 'text' AND j.value <> '' AND EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.id AND q.deleted_at IS NULL))) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_path_insert AFTER INSERT ON asset_paths BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'paths', * FROM (SELECT 'all', 1 WHERE true)
UNION ALL SELECT 'paths', * FROM (SELECT 'live', 1 WHERE NEW.deleted_at IS NULL)
UNION ALL SELECT 'listed_type', * FROM (SELECT a.media_type, 1 FROM assets a WHERE a.id = NEW.asset_id AND NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.id <> NEW.id))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), 1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = NEW.asset_id AND j.type = 'text' AND j.value <> '' AND NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.id <> NEW.id))
UNION ALL SELECT 'listed_root', * FROM (SELECT NEW.source_root, 1 WHERE NEW.deleted_at IS NULL AND EXISTS (SELECT 1 FROM assets WHERE id = NEW.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.source_root = NEW.source_root AND q.id <> NEW.id))
UNION ALL SELECT 'listed_job', * FROM (SELECT NEW.job_id, 1 WHERE NEW.deleted_at IS NULL AND NEW.job_id IS NOT NULL AND EXISTS (SELECT 1 FROM assets WHERE id = NEW.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.job_id = NEW.job_id AND q.id <> NEW.id))) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_path_delete AFTER DELETE ON asset_paths BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'paths', * FROM (SELECT 'all', -1 WHERE true)
UNION ALL SELECT 'paths', * FROM (SELECT 'live', -1 WHERE OLD.deleted_at IS NULL)
UNION ALL SELECT 'listed_type', * FROM (SELECT a.media_type, -1 FROM assets a WHERE a.id = OLD.asset_id AND OLD.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), -1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = OLD.asset_id AND j.type = 'text' AND j.value <> '' AND OLD.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_root', * FROM (SELECT OLD.source_root, -1 WHERE OLD.deleted_at IS NULL AND EXISTS (SELECT 1 FROM assets WHERE id = OLD.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL AND q.source_root = OLD.source_root))
UNION ALL SELECT 'listed_job', * FROM (SELECT OLD.job_id, -1 WHERE OLD.deleted_at IS NULL AND OLD.job_id IS NOT NULL AND EXISTS (SELECT 1 FROM assets WHERE id = OLD.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL AND q.job_id = OLD.job_id))) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_path_update AFTER UPDATE OF asset_id, deleted_at, source_root, job_id ON asset_paths WHEN OLD.asset_id IS NOT NEW.asset_id OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.source_root IS NOT NEW.source_root OR OLD.job_id IS NOT NEW.job_id BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'paths', * FROM (SELECT 'live', -1 WHERE OLD.deleted_at IS NULL)
UNION ALL SELECT 'listed_type', * FROM (SELECT a.media_type, -1 FROM assets a WHERE a.id = OLD.asset_id AND OLD.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), -1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = OLD.asset_id AND j.type = 'text' AND j.value <> '' AND OLD.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL))
UNION ALL SELECT 'listed_root', * FROM (SELECT OLD.source_root, -1 WHERE OLD.deleted_at IS NULL AND EXISTS (SELECT 1 FROM assets WHERE id = OLD.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL AND q.source_root = OLD.source_root))
UNION ALL SELECT 'listed_job', * FROM (SELECT OLD.job_id, -1 WHERE OLD.deleted_at IS NULL AND OLD.job_id IS NOT NULL AND EXISTS (SELECT 1 FROM assets WHERE id = OLD.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = OLD.asset_id AND q.deleted_at IS NULL AND q.job_id = OLD.job_id))
UNION ALL SELECT 'paths', * FROM (SELECT 'live', 1 WHERE NEW.deleted_at IS NULL)
UNION ALL SELECT 'listed_type', * FROM (SELECT a.media_type, 1 FROM assets a WHERE a.id = NEW.asset_id AND NEW.deleted_at IS NULL AND NOT (OLD.deleted_at IS NULL AND OLD.asset_id IS NEW.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.id <> NEW.id))
UNION ALL SELECT 'listed_tag', * FROM (SELECT DISTINCT lower(j.value), 1 FROM assets a, json_each(CASE WHEN json_valid(a.tags_json) AND json_type(a.tags_json) = 'array' THEN a.tags_json ELSE '[]' END) j WHERE a.id = NEW.asset_id AND j.type = 'text' AND j.value <> '' AND NEW.deleted_at IS NULL AND NOT (OLD.deleted_at IS NULL AND OLD.asset_id IS NEW.asset_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.id <> NEW.id))
UNION ALL SELECT 'listed_root', * FROM (SELECT NEW.source_root, 1 WHERE NEW.deleted_at IS NULL AND EXISTS (SELECT 1 FROM assets WHERE id = NEW.asset_id) AND NOT (OLD.deleted_at IS NULL AND OLD.asset_id IS NEW.asset_id AND OLD.source_root IS NEW.source_root) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.source_root = NEW.source_root AND q.id <> NEW.id))
UNION ALL SELECT 'listed_job', * FROM (SELECT NEW.job_id, 1 WHERE NEW.deleted_at IS NULL AND NEW.job_id IS NOT NULL AND EXISTS (SELECT 1 FROM assets WHERE id = NEW.asset_id) AND NOT (OLD.deleted_at IS NULL AND OLD.asset_id IS NEW.asset_id AND OLD.job_id IS NEW.job_id) AND NOT EXISTS (SELECT 1 FROM asset_paths q WHERE q.asset_id = NEW.asset_id AND q.deleted_at IS NULL AND q.job_id = NEW.job_id AND q.id <> NEW.id))) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_attempt_insert AFTER INSERT ON process_log BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'attempts', * FROM (SELECT NEW.status, 1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_attempt_delete AFTER DELETE ON process_log BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'attempts', * FROM (SELECT OLD.status, -1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_attempt_update AFTER UPDATE OF status ON process_log WHEN OLD.status IS NOT NEW.status BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'attempts', * FROM (SELECT OLD.status, -1 WHERE true)
UNION ALL SELECT 'attempts', * FROM (SELECT NEW.status, 1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_assets_vec_insert AFTER INSERT ON assets_vec BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'vectors', * FROM (SELECT 'assets_vec', 1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_assets_vec_delete AFTER DELETE ON assets_vec BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'vectors', * FROM (SELECT 'assets_vec', -1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_assets_vec_next_insert AFTER INSERT ON assets_vec_next BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'vectors', * FROM (SELECT 'assets_vec_next', 1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER index_tallies_assets_vec_next_delete AFTER DELETE ON assets_vec_next BEGIN
INSERT INTO index_tallies (tally, value, n) SELECT * FROM (SELECT 'vectors', * FROM (SELECT 'assets_vec_next', -1 WHERE true)) WHERE true ON CONFLICT (tally, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TABLE "failed_files" (
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
    host            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (host, source_root, rel_path)
) WITHOUT ROWID;

CREATE TABLE "files_in_flight" (
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
    host         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (host, source_root, rel_path)
) WITHOUT ROWID;

CREATE TABLE watchers (
    host          TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    watch_paths   TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    state         TEXT NOT NULL
                  CHECK (state IN ('starting', 'scanning', 'watching', 'stopping', 'stopped')),
    files_indexed INTEGER NOT NULL DEFAULT 0,
    files_failed  INTEGER NOT NULL DEFAULT 0,
    queue_depth   INTEGER NOT NULL DEFAULT 0,
    version       TEXT NOT NULL,
    api_url       TEXT,
    last_error    TEXT,
    PRIMARY KEY (host, workspace)
) WITHOUT ROWID;

CREATE INDEX index_changes_by_xid ON index_changes (xid, seq);

CREATE TABLE index_changes_trimmed (xid INTEGER NOT NULL, seq INTEGER NOT NULL);

CREATE TABLE "bit_rot" (
    source_root   TEXT NOT NULL,
    rel_path      TEXT NOT NULL,
    expected_hash TEXT NOT NULL,
    found_hash    TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    mtime_ns      INTEGER NOT NULL,
    found_at      TEXT NOT NULL,
    host          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (host, source_root, rel_path)
) WITHOUT ROWID;

CREATE TABLE "volumes" (
    source_root TEXT NOT NULL,
    rel_prefix  TEXT NOT NULL,
    device      TEXT NOT NULL,
    files       INTEGER NOT NULL,
    seen_at     TEXT NOT NULL,
    held_since  TEXT,
    held_reason TEXT,
    host        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (host, source_root, rel_prefix)
) WITHOUT ROWID;

CREATE TABLE "left_out" (
    source_root     TEXT NOT NULL,
    files           INTEGER NOT NULL,
    other_files     INTEGER NOT NULL,
    extensions_json TEXT NOT NULL,
    counted_at      TEXT NOT NULL,
    host            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (host, source_root)
) WITHOUT ROWID;

CREATE INDEX asset_paths_job ON asset_paths (job_id, asset_id) WHERE deleted_at IS NULL;

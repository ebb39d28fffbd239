-- Generated from the migrations by SchemaFileTest; do not edit.
-- Schema version 1. Regenerate: mvn test -Dtest=SchemaFileTest -Dschema.update=true

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
    deleted_at    TEXT,
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

CREATE TABLE analysis_cache (
    asset_id    TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    analyzer    TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    result_json TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (asset_id, analyzer, config_hash)
) WITHOUT ROWID;

CREATE TABLE assets_vec (
    id        TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
    embedding BLOB NOT NULL
) WITHOUT ROWID;

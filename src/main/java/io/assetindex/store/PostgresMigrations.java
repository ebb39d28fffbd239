package io.assetindex.store;

import java.util.List;

/**
 * The schema of an index in PostgreSQL, in numbered migrations applied as SQLite's are ({@link
 * Migrations}): each in its own transaction with its row in {@code schema_migrations}, never
 * edited once released. Version numbers mean the same schema in both dialects: the first
 * PostgreSQL migration is number 14 and creates at once what SQLite's 1 to 14 made (there is no
 * older PostgreSQL index to upgrade); a later change is a migration of the same number in each.
 *
 * <p>Where the schemas differ: {@code INTEGER} is {@code bigint}, {@code REAL} is {@code double
 * precision}, {@code BLOB} is {@code bytea}, row ids are identity columns, and text sorts by its
 * bytes ({@code COLLATE "C"}, as SQLite's does), so prefix ranges and orders agree. Triggers
 * are PL/pgSQL functions. The keyword index ({@code assets_fts}) is a table with a weighted
 * {@code tsvector} under a GIN index instead of FTS5 (see {@link PostgresKeywordIndex}). A few
 * functions named as SQLite's let the statements shared by both dialects run unchanged. Functions
 * that call others keep the search path they were made with ({@code SET search_path FROM
 * CURRENT}): PostgreSQL evaluates index expressions in maintenance (ANALYZE, autovacuum) with
 * none but its own catalog's.
 */
final class PostgresMigrations {
    private PostgresMigrations() {}

    /** Text compared and sorted by its bytes, as SQLite does. */
    private static final String TEXT = "text COLLATE \"C\"";

    /**
     * SQLite's functions the shared statements call. {@code json_extract} returns text (SQLite's
     * true is 1 and false 0, as there); {@code json_each} reads an array's values only.
     */
    private static final List<String> SQLITE_FUNCTIONS = List.of(
            """
            CREATE FUNCTION json_valid(doc text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
                    SET search_path FROM CURRENT AS $$
            BEGIN
                IF doc IS NULL THEN
                    RETURN NULL;
                END IF;
                PERFORM doc::jsonb;
                RETURN true;
            EXCEPTION WHEN others THEN
                RETURN false;
            END $$""",
            """
            CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                SELECT CASE jsonb_typeof(v) WHEN 'boolean' THEN CASE WHEN v::boolean THEN '1' ELSE '0' END
                    WHEN 'null' THEN NULL ELSE v #>> '{}' END
                FROM (SELECT jsonb_path_query_first(doc::jsonb, path::jsonpath) AS v) found
            $$""",
            """
            CREATE FUNCTION json_each(doc text) RETURNS TABLE (value text) LANGUAGE sql IMMUTABLE AS $$
                SELECT item #>> '{}' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc::jsonb) = 'array'
                    THEN doc::jsonb ELSE '[]'::jsonb END) item
            $$""",
            "CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE AS"
                    + " $$ SELECT strpos(haystack, needle) $$",
            // Migrations.CAPTURED_AT and CAPTURE_KEY: the probe's capture time, and its order (UTC when it has an offset).
            """
            CREATE FUNCTION captured_at(raw text) RETURNS text LANGUAGE plpgsql IMMUTABLE
                    SET search_path FROM CURRENT AS $$
            DECLARE
                doc jsonb;
            BEGIN
                BEGIN
                    doc := raw::jsonb;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END;
                IF jsonb_typeof(doc) <> 'object' THEN
                    RETURN NULL;
                END IF;
                RETURN coalesce(CASE jsonb_typeof(doc #> '{probe,captured_at}') WHEN 'string'
                        THEN doc #>> '{probe,captured_at}' END,
                    CASE jsonb_typeof(doc #> '{probe,created_at}') WHEN 'string' THEN doc #>> '{probe,created_at}' END);
            END $$""",
            """
            CREATE FUNCTION capture_key(raw text) RETURNS text LANGUAGE plpgsql IMMUTABLE
                    SET search_path FROM CURRENT AS $$
            DECLARE
                recorded text := captured_at(raw);
                part text[];
                at timestamp;
            BEGIN
                part := regexp_match(recorded, '^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2})'
                    '(?::([0-9]{2}(?:\\.[0-9]+)?))?)?\\s*(Z|[+-][0-9]{2}:?[0-9]{2})?$');
                IF part IS NULL THEN
                    RETURN NULL;
                END IF;
                at := (part[1] || ' ' || coalesce(part[2], '00:00') || ':' || coalesce(part[3], '00'))::timestamp;
                IF part[4] IS NOT NULL AND part[4] <> 'Z' THEN
                    at := at - (CASE WHEN left(part[4], 1) = '-' THEN -1 ELSE 1 END)
                        * make_interval(hours => substr(part[4], 2, 2)::int, mins => right(part[4], 2)::int);
                END IF;
                RETURN to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS');
            EXCEPTION WHEN others THEN
                RETURN NULL;
            END $$""");

    /** The keyword index: its functions, table, filling and triggers (SQLite's migration 7). */
    private static final List<String> KEYWORDS = List.of(
            // SearchWords.words: the text, then the parts of its camelCase and letter-digit words.
            """
            CREATE FUNCTION asset_words(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE
                    SET search_path FROM CURRENT AS $$
            DECLARE
                run text;
                piece text;
                pieces text[];
                parts text[] := '{}';
            BEGIN
                IF t IS NULL THEN
                    RETURN NULL;
                END IF;
                FOR run IN SELECT (regexp_matches(t COLLATE "default", '[[:alpha:][:digit:]]+', 'g'))[1] LOOP
                    pieces := regexp_split_to_array(run COLLATE "default", '(?<=[[:lower:]])(?=[[:upper:]])'
                        '|(?<=[[:upper:]])(?=[[:upper:]][[:lower:]])|(?<=[[:alpha:]]{2})(?=[[:digit:]]{2})'
                        '|(?<=[[:digit:]]{2})(?=[[:alpha:]]{2})');
                    IF cardinality(pieces) > 1 THEN
                        FOREACH piece IN ARRAY pieces LOOP
                            piece := lower(piece);
                            IF NOT piece = ANY (parts) THEN
                                parts := parts || piece;
                            END IF;
                        END LOOP;
                    END IF;
                END LOOP;
                RETURN CASE WHEN cardinality(parts) = 0 THEN t ELSE t || ' ' || array_to_string(parts, ' ') END;
            END $$""",
            // FTS5's unicode61 tokenizer with remove_diacritics: lower case, accents gone, split at all but letters and digits.
            """
            CREATE FUNCTION search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                SELECT lower(regexp_replace(regexp_replace(normalize(coalesce(t, '') COLLATE "default", NFD),
                    '[\\u0300-\\u036f]', '', 'g'), '[^[:alpha:][:digit:]]+', ' ', 'g'))
            $$""",
            """
            CREATE FUNCTION search_document(name text, folder text, job text, camera text, style text, summary text,
                    tags text, mood text, scenes text, transcript text) RETURNS tsvector LANGUAGE sql IMMUTABLE
                    SET search_path FROM CURRENT AS $$
                SELECT setweight(to_tsvector('simple', search_text(name)), 'A')
                    || setweight(to_tsvector('simple', search_text(job)), 'A')
                    || setweight(to_tsvector('simple', search_text(camera)), 'B')
                    || setweight(to_tsvector('simple', search_text(folder)), 'B')
                    || setweight(to_tsvector('simple', search_text(tags)), 'B')
                    || setweight(to_tsvector('simple', search_text(summary)), 'C')
                    || setweight(to_tsvector('simple', search_text(style)), 'D')
                    || setweight(to_tsvector('simple', search_text(mood)), 'D')
                    || setweight(to_tsvector('simple', search_text(scenes)), 'D')
                    || setweight(to_tsvector('simple', search_text(transcript)), 'D')
            $$""",
            "CREATE FUNCTION json_words(list text) RETURNS text LANGUAGE sql IMMUTABLE"
                    + " SET search_path FROM CURRENT AS $$"
                    + " SELECT CASE WHEN json_valid(list) AND jsonb_typeof(list::jsonb) = 'array' THEN"
                    + " (SELECT string_agg(item #>> '{}', ' ') FROM jsonb_array_elements(list::jsonb) item) END $$",
            """
            CREATE TABLE assets_fts (
                id         %1$s PRIMARY KEY,
                name       text,
                folder     text,
                job        text,
                camera     text,
                style      text,
                summary    text,
                tags       text,
                mood       text,
                scenes     text,
                transcript text,
                document   tsvector NOT NULL
            )""".formatted(TEXT),
            "CREATE INDEX assets_fts_document ON assets_fts USING gin (document)",
            // The row of one asset, written again from its live paths and analysis (SQLite's view assets_fts_source).
            """
            CREATE FUNCTION assets_fts_refresh(asset text) RETURNS void LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                DELETE FROM assets_fts WHERE id = asset;
                INSERT INTO assets_fts (id, name, folder, job, camera, style, summary, tags, mood, scenes, transcript,
                        document)
                SELECT s.*, search_document(s.name, s.folder, s.job, s.camera, s.style, s.summary, s.tags, s.mood,
                        s.scenes, s.transcript)
                FROM (SELECT a.id,
                    asset_words(coalesce((SELECT string_agg(DISTINCT substr(p.rel_path,
                        length(rtrim(p.rel_path, replace(p.rel_path, '/', ''))) + 1), ',') FROM asset_paths p
                        WHERE p.asset_id = a.id AND p.deleted_at IS NULL), a.file_name)) AS name,
                    asset_words((SELECT string_agg(DISTINCT CASE p.source_root WHEN '.' THEN '' ELSE p.source_root
                        || '/' END || rtrim(p.rel_path, replace(p.rel_path, '/', '')), ',') FROM asset_paths p
                        WHERE p.asset_id = a.id AND p.deleted_at IS NULL)) AS folder,
                    coalesce((SELECT string_agg(DISTINCT p.job_id, ',') FROM asset_paths p WHERE p.asset_id = a.id
                        AND p.deleted_at IS NULL AND p.job_id IS NOT NULL), a.job_id)::text AS job,
                    CASE WHEN json_valid(a.raw_json) THEN asset_words(concat_ws(' ',
                        json_extract(a.raw_json, '$.probe.camera_make'), json_extract(a.raw_json, '$.probe.camera_model'),
                        json_extract(a.raw_json, '$.probe.lens'))) END AS camera,
                    a.style::text AS style,
                    a.summary::text AS summary,
                    json_words(a.tags_json) AS tags,
                    json_words(a.mood_json) AS mood,
                    CASE WHEN json_valid(a.scenes_json) AND jsonb_typeof(a.scenes_json::jsonb) = 'array' THEN
                        (SELECT string_agg(CASE jsonb_typeof(item) WHEN 'object' THEN item ->> 'description'
                        ELSE item #>> '{}' END, ' ') FROM jsonb_array_elements(a.scenes_json::jsonb) item) END AS scenes,
                    a.transcript::text AS transcript
                FROM assets a WHERE a.id = asset) s;
            END $$""",
            // No trigger on a new asset: it is searched once it has a live path, and the path's trigger writes it then.
            """
            CREATE FUNCTION assets_fts_asset() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM assets_fts WHERE id = OLD.id;
                ELSE
                    IF OLD.id <> NEW.id THEN
                        DELETE FROM assets_fts WHERE id = OLD.id;
                    END IF;
                    PERFORM assets_fts_refresh(NEW.id);
                END IF;
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER assets_fts_update AFTER UPDATE OF id, file_name, job_id, raw_json, style, summary, tags_json,"
                    + " mood_json, scenes_json, transcript ON assets FOR EACH ROW EXECUTE FUNCTION assets_fts_asset()",
            "CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets FOR EACH ROW EXECUTE FUNCTION assets_fts_asset()",
            """
            CREATE FUNCTION assets_fts_path() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    PERFORM assets_fts_refresh(OLD.asset_id);
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.asset_id <> OLD.asset_id) THEN
                    PERFORM assets_fts_refresh(NEW.asset_id);
                END IF;
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER assets_fts_path_insert AFTER INSERT ON asset_paths FOR EACH ROW EXECUTE FUNCTION"
                    + " assets_fts_path()",
            "CREATE TRIGGER assets_fts_path_update AFTER UPDATE OF asset_id, deleted_at, source_root, rel_path, job_id"
                    + " ON asset_paths FOR EACH ROW EXECUTE FUNCTION assets_fts_path()",
            "CREATE TRIGGER assets_fts_path_delete AFTER DELETE ON asset_paths FOR EACH ROW EXECUTE FUNCTION"
                    + " assets_fts_path()");

    /** The feed of changes searches follow (SQLite's migration 5), written by triggers for every writer. */
    private static final List<String> CHANGES = List.of(
            """
            CREATE TABLE index_changes (
                seq      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                asset_id %1$s,
                what     %1$s NOT NULL CHECK (what IN ('vector', 'path', 'asset', 'model')),
                at       %1$s NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC',
                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            )""".formatted(TEXT),
            """
            CREATE FUNCTION index_changes_vector() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                INSERT INTO index_changes (asset_id, what)
                VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, 'vector');
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER index_changes_vector AFTER INSERT OR UPDATE OR DELETE ON assets_vec FOR EACH ROW"
                    + " EXECUTE FUNCTION index_changes_vector()",
            """
            CREATE FUNCTION index_changes_path() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO index_changes (asset_id, what) VALUES (NEW.asset_id, 'path');
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
                ELSIF OLD.asset_id IS DISTINCT FROM NEW.asset_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
                        OR OLD.source_root IS DISTINCT FROM NEW.source_root OR OLD.rel_path IS DISTINCT FROM NEW.rel_path
                        OR OLD.job_id IS DISTINCT FROM NEW.job_id THEN
                    INSERT INTO index_changes (asset_id, what) VALUES (OLD.asset_id, 'path');
                    IF NEW.asset_id IS DISTINCT FROM OLD.asset_id THEN
                        INSERT INTO index_changes (asset_id, what) VALUES (NEW.asset_id, 'path');
                    END IF;
                END IF;
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER index_changes_path AFTER INSERT OR UPDATE OR DELETE ON asset_paths FOR EACH ROW"
                    + " EXECUTE FUNCTION index_changes_path()",
            """
            CREATE FUNCTION index_changes_asset() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                IF OLD.tags_json IS DISTINCT FROM NEW.tags_json OR OLD.mood_json IS DISTINCT FROM NEW.mood_json
                        OR OLD.audio_role IS DISTINCT FROM NEW.audio_role THEN
                    INSERT INTO index_changes (asset_id, what) VALUES (NEW.id, 'asset');
                END IF;
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER index_changes_asset_update AFTER UPDATE OF tags_json, mood_json, audio_role ON assets"
                    + " FOR EACH ROW EXECUTE FUNCTION index_changes_asset()",
            """
            CREATE FUNCTION index_changes_model() RETURNS trigger LANGUAGE plpgsql
                    SET search_path FROM CURRENT AS $$
            BEGIN
                INSERT INTO index_changes (asset_id, what) VALUES (NULL, 'model');
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER index_changes_model AFTER INSERT OR UPDATE OR DELETE ON embedding_models FOR EACH ROW"
                    + " EXECUTE FUNCTION index_changes_model()");

    private static final List<String> TABLES = List.of(
            """
            CREATE TABLE assets (
                id               %1$s PRIMARY KEY CHECK (length(id) = 64),
                file_name        %1$s NOT NULL,
                file_path        %1$s NOT NULL,
                source_root      %1$s NOT NULL,
                job_id           %1$s,
                media_type       %1$s NOT NULL CHECK (media_type IN ('image', 'video', 'audio')),
                size_bytes       bigint NOT NULL,
                mtime            double precision NOT NULL,
                width            bigint,
                height           bigint,
                duration_seconds double precision,
                fps              double precision,
                has_audio        bigint,
                style            %1$s,
                summary          %1$s,
                transcript       %1$s,
                audio_role       %1$s,
                tags_json        %1$s,
                mood_json        %1$s,
                scenes_json      %1$s,
                raw_json         %1$s,
                embed_source     %1$s,
                embed_model      %1$s,
                indexed_at       %1$s NOT NULL
            )""".formatted(TEXT),
            "CREATE INDEX assets_media_type ON assets (media_type)",
            "CREATE INDEX assets_job_id ON assets (job_id) WHERE job_id IS NOT NULL",
            """
            CREATE TABLE asset_paths (
                id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                asset_id      %1$s NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                source_root   %1$s NOT NULL,
                rel_path      %1$s NOT NULL,
                abs_path      %1$s NOT NULL,
                job_id        %1$s,
                size_bytes    bigint NOT NULL,
                mtime_ns      bigint NOT NULL,
                first_seen_at %1$s NOT NULL,
                last_seen_at  %1$s NOT NULL,
                deleted_at    %1$s,
                verified_at   %1$s,
                UNIQUE (source_root, rel_path)
            )""".formatted(TEXT),
            "CREATE INDEX asset_paths_asset_id ON asset_paths (asset_id)",
            "CREATE INDEX asset_paths_abs_path ON asset_paths (abs_path)",
            """
            CREATE TABLE process_log (
                id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                file_path    %1$s NOT NULL,
                content_hash %1$s,
                status       %1$s NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
                stage        %1$s,
                error        %1$s,
                detail       %1$s,
                duration_ms  bigint NOT NULL,
                ran_at       %1$s NOT NULL
            )""".formatted(TEXT),
            "CREATE INDEX process_log_status ON process_log (status, id)",
            "CREATE INDEX process_log_file_path ON process_log (file_path, id)",
            "CREATE INDEX process_log_content_hash ON process_log (content_hash) WHERE content_hash IS NOT NULL",
            """
            CREATE TABLE analysis_cache (
                asset_id    %1$s NOT NULL,
                analyzer    %1$s NOT NULL,
                config_hash %1$s NOT NULL,
                result_json %1$s NOT NULL,
                duration_ms bigint NOT NULL,
                created_at  %1$s NOT NULL,
                PRIMARY KEY (asset_id, analyzer, config_hash)
            )""".formatted(TEXT),
            "CREATE INDEX analysis_cache_analyzer ON analysis_cache (analyzer, config_hash)",
            """
            CREATE TABLE assets_vec (
                id        %1$s PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
                embedding bytea NOT NULL
            )""".formatted(TEXT),
            """
            CREATE VIEW integrity_checks AS
            SELECT asset_id AS content_hash, config_hash,
                   json_extract(result_json, '$.corrupt')::numeric AS corrupt,
                   json_extract(result_json, '$.warning')::numeric AS warning,
                   json_extract(result_json, '$.details') AS details,
                   json_extract(result_json, '$.tool') AS tool,
                   json_extract(result_json, '$.mode') AS mode,
                   json_extract(result_json, '$.check_ms')::numeric AS check_ms,
                   created_at AS checked_at
            FROM analysis_cache WHERE analyzer = 'integrity'""",
            """
            CREATE VIEW derived_files AS
            SELECT asset_id AS input_hash, analyzer AS kind, config_hash AS params_hash,
                   json_extract(result_json, '$.size')::numeric AS size,
                   json_extract(result_json, '$.quality')::numeric AS quality,
                   json_extract(result_json, '$.sha256') AS output_hash,
                   json_extract(result_json, '$.path') AS output_path,
                   json_extract(result_json, '$.bytes')::numeric AS bytes,
                   created_at
            FROM analysis_cache WHERE analyzer = 'thumbnail'""",
            """
            CREATE TABLE embedding_models (
                config_hash   %1$s PRIMARY KEY,
                model         %1$s NOT NULL,
                dimension     bigint NOT NULL CHECK (dimension > 0),
                identity_json %1$s NOT NULL,
                state         %1$s NOT NULL CHECK (state IN ('active', 'building')),
                created_at    %1$s NOT NULL,
                activated_at  %1$s
            )""".formatted(TEXT),
            "CREATE UNIQUE INDEX embedding_models_one_per_state ON embedding_models (state)",
            """
            CREATE TABLE assets_vec_next (
                id        %1$s PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
                embedding bytea NOT NULL
            )""".formatted(TEXT),
            """
            CREATE TABLE failed_files (
                source_root     %1$s NOT NULL,
                rel_path        %1$s NOT NULL,
                size_bytes      bigint NOT NULL,
                mtime_ns        bigint NOT NULL,
                content_hash    %1$s,
                stage           %1$s NOT NULL,
                error           %1$s NOT NULL,
                pipeline        %1$s NOT NULL,
                retry_after     %1$s,
                failures        bigint NOT NULL,
                first_failed_at %1$s NOT NULL,
                last_failed_at  %1$s NOT NULL,
                PRIMARY KEY (source_root, rel_path)
            )""".formatted(TEXT),
            """
            CREATE TABLE files_in_flight (
                source_root  %1$s NOT NULL,
                rel_path     %1$s NOT NULL,
                display_path %1$s NOT NULL,
                size_bytes   bigint NOT NULL,
                mtime_ns     bigint NOT NULL,
                content_hash %1$s NOT NULL,
                owner        %1$s NOT NULL,
                alone        bigint NOT NULL,
                crashes      bigint NOT NULL,
                started_at   %1$s NOT NULL,
                PRIMARY KEY (source_root, rel_path)
            )""".formatted(TEXT),
            """
            CREATE TABLE volumes (
                source_root %1$s NOT NULL,
                rel_prefix  %1$s NOT NULL,
                device      %1$s NOT NULL,
                files       bigint NOT NULL,
                seen_at     %1$s NOT NULL,
                held_since  %1$s,
                held_reason %1$s,
                PRIMARY KEY (source_root, rel_prefix)
            )""".formatted(TEXT),
            // Migration 6's orders; NULLS FIRST as in SQLite, so the descending sorts read them backwards (NULLS LAST).
            "CREATE INDEX assets_indexed_at ON assets (indexed_at, id)",
            "CREATE INDEX assets_captured ON assets (capture_key(raw_json) NULLS FIRST, id)",
            "CREATE INDEX assets_file_name ON assets (lower(file_name), id)",
            "CREATE INDEX assets_size_bytes ON assets (size_bytes, id)",
            "CREATE INDEX assets_duration ON assets (duration_seconds NULLS FIRST, id)",
            "CREATE INDEX asset_paths_live ON asset_paths (asset_id) WHERE deleted_at IS NULL",
            """
            CREATE TABLE left_out (
                source_root     %1$s PRIMARY KEY,
                files           bigint NOT NULL,
                other_files     bigint NOT NULL,
                extensions_json %1$s NOT NULL,
                counted_at      %1$s NOT NULL
            )""".formatted(TEXT),
            "CREATE INDEX analysis_cache_integrity_flagged ON analysis_cache (asset_id) WHERE "
                    + IntegrityRepository.flagged(Dialect.POSTGRESQL),
            """
            CREATE TABLE scan_history (
                id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                kind           %1$s NOT NULL
                               CHECK (kind IN ('scan', 'scan-on-start', 'rescan', 'verify', 'verification')),
                host           %1$s NOT NULL,
                pid            bigint NOT NULL,
                process        %1$s NOT NULL,
                paths_json     %1$s NOT NULL,
                started_at     %1$s NOT NULL,
                finished_at    %1$s,
                outcome        %1$s CHECK (outcome IN ('ok', 'interrupted', 'failed')),
                files_seen     bigint,
                files_indexed  bigint,
                files_linked   bigint,
                files_skipped  bigint,
                files_failed   bigint,
                files_deleted  bigint,
                corrupt_found  bigint,
                warnings_found bigint,
                bytes_read     bigint,
                bit_rot_found  bigint,
                notes          %1$s,
                CHECK ((finished_at IS NULL) = (outcome IS NULL))
            )""".formatted(TEXT),
            "CREATE INDEX scan_history_kind ON scan_history (kind, id)",
            """
            CREATE TABLE config_snapshots (
                config_hash     %1$s PRIMARY KEY,
                analyzer        %1$s NOT NULL,
                settings_text   %1$s NOT NULL,
                settings_json   %1$s NOT NULL,
                program_version %1$s NOT NULL,
                recorded_at     %1$s NOT NULL
            )""".formatted(TEXT),
            """
            CREATE TABLE integrity_accepted (
                content_hash %1$s PRIMARY KEY CHECK (length(content_hash) = 64),
                accepted_by  %1$s NOT NULL,
                host         %1$s NOT NULL,
                note         %1$s,
                verdict      %1$s,
                accepted_at  %1$s NOT NULL
            )""".formatted(TEXT),
            "CREATE INDEX asset_paths_verify_due ON asset_paths (" + VerificationRepository.LAST_VERIFIED
                    + ") WHERE deleted_at IS NULL",
            """
            CREATE TABLE bit_rot (
                source_root   %1$s NOT NULL,
                rel_path      %1$s NOT NULL,
                expected_hash %1$s NOT NULL,
                found_hash    %1$s NOT NULL,
                size_bytes    bigint NOT NULL,
                mtime_ns      bigint NOT NULL,
                found_at      %1$s NOT NULL,
                PRIMARY KEY (source_root, rel_path)
            )""".formatted(TEXT),
            SearchRepository.SHAPE_INDEX);

    private static List<String> schema() {
        List<String> all = new java.util.ArrayList<>(SQLITE_FUNCTIONS);
        all.addAll(TABLES);
        all.addAll(CHANGES);
        all.addAll(KEYWORDS);
        return List.copyOf(all);
    }

    static final List<Migrations.Migration> ALL = List.of(
            new Migrations.Migration(14, "the schema of SQLite's migrations 1 to 14, in PostgreSQL", schema()),
            new Migrations.Migration(15, "index_tallies as a view that counts status's totals from the rows (SQLite"
                    + " keeps them, and the unfiltered listing's facets, with triggers)",
                    List.of("CREATE VIEW index_tallies AS " + IndexTallies.COUNTED)),
            new Migrations.Migration(HostMigration.VERSION, HostMigration.DESCRIPTION, hostMigration(),
                    HostMigration::fill),
            new Migrations.Migration(17, "the change feed ordered by writing transaction, read only where that"
                    + " transaction has finished (sequence numbers are given before commit), and how far it was trimmed",
                    ChangeRepository.postgresSchema()),
            new Migrations.Migration(HostRowsMigration.VERSION, HostRowsMigration.DESCRIPTION,
                    HostRowsMigration.POSTGRESQL, HostRowsMigration::fill),
            new Migrations.Migration(19, ListRepository.JOB_INDEX_DESCRIPTION, List.of(ListRepository.JOB_INDEX)));

    /**
     * Migration 16: {@link HostMigration}'s tables, and the keyword row of an asset written as an upsert:
     * two hosts adding paths of one asset at once both write its row, and the second one's insert,
     * made after the first's delete and insert committed, must replace that row instead of colliding
     * with it (which would fail the second host's file).
     */
    private static List<String> hostMigration() {
        String refresh = KEYWORDS.stream().filter(sql -> sql.startsWith("CREATE FUNCTION assets_fts_refresh"))
                .findFirst().orElseThrow();
        String upsert = refresh.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION").replace(
                "FROM assets a WHERE a.id = asset) s;",
                "FROM assets a WHERE a.id = asset) s\n"
                + "    ON CONFLICT (id) DO UPDATE SET name = excluded.name, folder = excluded.folder, job = excluded.job,\n"
                + "        camera = excluded.camera, style = excluded.style, summary = excluded.summary,\n"
                + "        tags = excluded.tags, mood = excluded.mood, scenes = excluded.scenes,\n"
                + "        transcript = excluded.transcript, document = excluded.document;");
        if (upsert.equals(refresh)) {
            throw new IllegalStateException("assets_fts_refresh changed; migration 16 must follow it");
        }
        List<String> all = new java.util.ArrayList<>(HostMigration.POSTGRESQL);
        all.add(upsert);
        return List.copyOf(all);
    }
}

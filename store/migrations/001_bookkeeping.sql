-- The pipeline's own bookkeeping: files received, their problems, job runs,
-- model runs and rendered reports.
CREATE SEQUENCE IF NOT EXISTS ingest_file_ids START 1;
CREATE TABLE IF NOT EXISTS ingest_files (
    file_id          BIGINT PRIMARY KEY DEFAULT nextval('ingest_file_ids'),
    sha256           VARCHAR NOT NULL UNIQUE, -- the content's checksum: the same file twice is one file
    original_name    VARCHAR NOT NULL,        -- the file name as the ward sent it
    inbox_path       VARCHAR,                 -- where it was found, relative to the inbox
    archive_path     VARCHAR,                 -- where it is kept, relative to the archive
    ward             VARCHAR,                 -- the ward it is from (folder or content)
    dataset          VARCHAR,                 -- units, citizens, citizen_assessments, unit_assessments, activities
    period           VARCHAR,                 -- the data's month (YYYY-MM) or survey round
    received_at      TIMESTAMPTZ NOT NULL,    -- when ingest read it
    file_modified_at TIMESTAMPTZ,             -- the file's modification time: when the ward sent it, as far as known
    size_bytes       BIGINT NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('loaded', 'refused', 'superseded')),
    superseded_by    BIGINT,                  -- the file that replaced it
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    warnings         INTEGER NOT NULL DEFAULT 0,
    problems         INTEGER NOT NULL DEFAULT 0, -- errors that refused it
    receipt_path     VARCHAR                  -- the receipt written beside it
);
CREATE TABLE IF NOT EXISTS ingest_problems (
    file_id     BIGINT NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('error', 'warning')),
    sheet       VARCHAR,
    row_number  INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    code        VARCHAR NOT NULL,  -- stable: bad_date, out_of_range, unknown_ward, …
    message_vi  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS job_run_ids START 1;
CREATE TABLE IF NOT EXISTS job_runs (
    run_id        BIGINT PRIMARY KEY DEFAULT nextval('job_run_ids'),
    job           VARCHAR NOT NULL,     -- ingest, transform, report, reminder, backup
    scheduled_at  TIMESTAMPTZ,          -- the instant it was due
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped')),
    error         VARCHAR,
    rows_affected BIGINT,
    catch_up      BOOLEAN NOT NULL DEFAULT false, -- run on start for a missed instant
    detail        VARCHAR
);
CREATE TABLE IF NOT EXISTS model_runs (
    model       VARCHAR NOT NULL,   -- the model or test, named after its file
    kind        VARCHAR NOT NULL CHECK (kind IN ('model', 'test')),
    started_at  TIMESTAMPTZ NOT NULL, -- the transform run it belongs to
    duration_ms BIGINT NOT NULL,
    rows        BIGINT,             -- a model's rows, a test's failing rows
    status      VARCHAR NOT NULL CHECK (status IN ('ok', 'failed')),
    error       VARCHAR
);
CREATE TABLE IF NOT EXISTS reports (
    month            VARCHAR NOT NULL,  -- YYYY-MM
    version          INTEGER NOT NULL,  -- 1, 2, …: a rebuilt month with other data is a new version
    lang             VARCHAR NOT NULL,  -- vi | en
    generated_at     TIMESTAMPTZ NOT NULL,
    data_fingerprint VARCHAR NOT NULL,  -- checksum of the numbers the report shows
    program_version  VARCHAR NOT NULL,
    files            VARCHAR NOT NULL,  -- JSON: file name → sha256
    PRIMARY KEY (month, version, lang)
);
COMMENT ON TABLE ingest_files IS 'Every file ever received, loaded, refused or superseded, with its checksum, ward, dataset and period.';
COMMENT ON TABLE ingest_problems IS 'Every problem found in a received file: errors that refused it and warnings, with sheet, row, column and value.';
COMMENT ON TABLE job_runs IS 'One row per scheduled or manual job run.';
COMMENT ON TABLE model_runs IS 'One row per SQL model or data test per transform run.';
COMMENT ON TABLE reports IS 'Every monthly report rendered, by month, version and language.';

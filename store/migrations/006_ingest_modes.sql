-- Supplements and replacements, city-level files, notes and grouped rows.
--
-- ingest_file_tables gets one row per file, dataset and ward (a city's file
-- holds rows of several wards), and says how the file was taken: as a
-- supplement (its rows add to the ward's earlier ones; a row with the key of an
-- earlier row replaces it, in the models) or as a replacement (the ward's
-- earlier tables of the dataset are superseded whole), and why; with the rows it
-- added, replaced and removed when it was loaded.
--
-- ingest_files no longer holds a checksum once only: the same bytes refused
-- once may be sent again (the registrations they named have come since, or the
-- ward renamed the file to declare it a correction) and are checked again; a
-- duplicate of a loaded file is still a duplicate (ingest decides, and the
-- index finds it).
--
-- ingest_problems gains notes (how a value or a header was read, a value taken
-- from the title rows or the file name) and the rows a problem is in, so that a
-- receipt says each problem once.
CREATE TABLE ingest_file_tables_new (
    file_id       BIGINT  NOT NULL,
    dataset       VARCHAR NOT NULL,
    ward          VARCHAR NOT NULL,
    sheets        VARCHAR,
    period        VARCHAR NOT NULL,
    rows          BIGINT  NOT NULL,
    status        VARCHAR NOT NULL CHECK (status IN ('loaded', 'superseded')),
    superseded_by BIGINT,
    mode          VARCHAR NOT NULL DEFAULT 'supplement' CHECK (mode IN ('supplement', 'replacement')),
    mode_reason   VARCHAR NOT NULL DEFAULT 'default',
    rows_added    BIGINT,
    rows_replaced BIGINT,
    rows_removed  BIGINT,
    PRIMARY KEY (file_id, dataset, ward)
);
INSERT INTO ingest_file_tables_new (file_id, dataset, ward, sheets, period, rows, status, superseded_by, mode, mode_reason)
SELECT file_id, dataset, ward, sheets, period, rows, status, superseded_by, 'replacement', 'before_supplements'
FROM ingest_file_tables;
DROP TABLE ingest_file_tables;
ALTER TABLE ingest_file_tables_new RENAME TO ingest_file_tables;

CREATE TABLE ingest_problems_new (
    file_id     BIGINT NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('error', 'warning', 'note')),
    sheet       VARCHAR,
    row_number  INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    code        VARCHAR NOT NULL,
    message_vi  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL,
    row_numbers INTEGER[],
    row_count   INTEGER
);
INSERT INTO ingest_problems_new (file_id, severity, sheet, row_number, column_name, value, code, message_vi, message_en)
SELECT file_id, severity, sheet, row_number, column_name, value, code, message_vi, message_en FROM ingest_problems;
DROP TABLE ingest_problems;
ALTER TABLE ingest_problems_new RENAME TO ingest_problems;

CREATE TABLE ingest_files_new (
    file_id          BIGINT PRIMARY KEY,
    sha256           VARCHAR NOT NULL,
    original_name    VARCHAR NOT NULL,
    inbox_path       VARCHAR,
    archive_path     VARCHAR,
    ward             VARCHAR,
    dataset          VARCHAR,
    period           VARCHAR,
    received_at      TIMESTAMPTZ NOT NULL,
    file_modified_at TIMESTAMPTZ,
    size_bytes       BIGINT NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('loaded', 'refused', 'superseded')),
    superseded_by    BIGINT,
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    warnings         INTEGER NOT NULL DEFAULT 0,
    problems         INTEGER NOT NULL DEFAULT 0,
    receipt_path     VARCHAR
);
INSERT INTO ingest_files_new SELECT file_id, sha256, original_name, inbox_path, archive_path, ward, dataset, period, received_at, file_modified_at,
    size_bytes, status, superseded_by, rows_loaded, warnings, problems, receipt_path FROM ingest_files;
DROP TABLE ingest_files;
ALTER TABLE ingest_files_new RENAME TO ingest_files;
CREATE INDEX IF NOT EXISTS ingest_files_sha256 ON ingest_files (sha256);
COMMENT ON TABLE ingest_files IS 'Every file ever received, loaded, refused or superseded, with its checksum, ward, dataset and period.';
COMMENT ON COLUMN ingest_files.file_id IS 'The file''s number: nextval(''ingest_file_ids''), given by the INSERT.';
COMMENT ON COLUMN ingest_files.original_name IS 'The file name as the ward sent it.';
COMMENT ON COLUMN ingest_files.inbox_path IS 'Where it was found, relative to the inbox.';
COMMENT ON COLUMN ingest_files.archive_path IS 'Where a loaded file is kept, relative to the archive (by checksum, under its own name); NULL for a refused file, which stays in quarantine.';
COMMENT ON COLUMN ingest_files.dataset IS 'What it holds: units, citizens, citizen_assessments, unit_assessments or activities, several joined by +; ingest_file_tables has one row for each.';
COMMENT ON COLUMN ingest_files.period IS 'The months (YYYY-MM) or survey rounds its rows cover, several joined by +.';
COMMENT ON COLUMN ingest_files.received_at IS 'When ingest read it.';
COMMENT ON COLUMN ingest_files.file_modified_at IS 'The file''s modification time: when the ward saved it, as far as known.';
COMMENT ON COLUMN ingest_files.size_bytes IS 'The file''s size in bytes.';
COMMENT ON COLUMN ingest_files.status IS 'loaded, refused (nothing of it loaded; see ingest_problems) or superseded (a corrected re-export replaced it).';
COMMENT ON COLUMN ingest_files.superseded_by IS 'The file_id of the file whose tables replaced all of its own.';
COMMENT ON COLUMN ingest_files.rows_loaded IS 'Rows loaded into the raw tables.';
COMMENT ON COLUMN ingest_files.warnings IS 'Warnings found: the rows still loaded.';
COMMENT ON COLUMN ingest_files.problems IS 'Errors found: any error refuses the whole file.';
COMMENT ON COLUMN ingest_files.sha256 IS 'SHA-256 of the file''s bytes: bytes already loaded are a duplicate, not loaded twice; bytes refused before are checked again.';

COMMENT ON TABLE ingest_file_tables IS 'Each dataset and ward found in a loaded file, and how it was taken (supplement or replacement); models read only tables whose status is loaded.';
COMMENT ON COLUMN ingest_file_tables.file_id IS 'The file (ingest_files.file_id).';
COMMENT ON COLUMN ingest_file_tables.dataset IS 'units, citizens, citizen_assessments, unit_assessments, activities, …';
COMMENT ON COLUMN ingest_file_tables.ward IS 'The ward of these rows: the folder''s for a ward''s file; each row''s (or its sheet''s) for a city''s file, one row per ward.';
COMMENT ON COLUMN ingest_file_tables.sheets IS 'The sheets the rows came from, comma separated.';
COMMENT ON COLUMN ingest_file_tables.period IS 'The rows'' most common month (YYYY-MM), or their survey round.';
COMMENT ON COLUMN ingest_file_tables.rows IS 'Rows of this ward and dataset in the file.';
COMMENT ON COLUMN ingest_file_tables.status IS 'loaded, or superseded: a later replacement of the same ward and dataset took its place whole.';
COMMENT ON COLUMN ingest_file_tables.superseded_by IS 'The file_id of the replacement that superseded it.';
COMMENT ON COLUMN ingest_file_tables.mode IS 'supplement (adds to the ward''s earlier rows; a row with an earlier row''s record_key replaces that row) or replacement (supersedes the ward''s earlier tables of the dataset).';
COMMENT ON COLUMN ingest_file_tables.mode_reason IS 'Why: default (a supplement), declared (its name or title says it corrects or replaces an earlier file), same_name (an earlier file of the same name), configured (ingest.replace), before_supplements (loaded before hoctap knew supplements: a later file replaced an earlier one of the same period).';
COMMENT ON COLUMN ingest_file_tables.rows_added IS 'When loaded: its rows whose record_key the ward''s loaded rows did not have.';
COMMENT ON COLUMN ingest_file_tables.rows_replaced IS 'When loaded: its rows that replaced a loaded row of the same record_key.';
COMMENT ON COLUMN ingest_file_tables.rows_removed IS 'When loaded, for a replacement: the ward''s loaded rows it did not repeat, which no longer count.';
COMMENT ON TABLE ingest_problems IS 'Every problem found in a received file (errors that refused it, warnings), and notes on how it was read, with sheet, rows, column and value.';
COMMENT ON COLUMN ingest_problems.file_id IS 'The file it was found in (ingest_files.file_id).';
COMMENT ON COLUMN ingest_problems.severity IS 'error (the file is refused), warning, or note (how a value or header was read).';
COMMENT ON COLUMN ingest_problems.sheet IS 'The sheet, NULL for CSV and JSON files.';
COMMENT ON COLUMN ingest_problems.row_number IS 'The (first) row in the sheet as a spreadsheet shows it, or the line of a CSV file.';
COMMENT ON COLUMN ingest_problems.column_name IS 'The column''s header as the file has it.';
COMMENT ON COLUMN ingest_problems.value IS 'The cell''s value as written.';
COMMENT ON COLUMN ingest_problems.code IS 'A stable code: bad_date, out_of_range, unknown_ward, read_as and so on.';
COMMENT ON COLUMN ingest_problems.message_vi IS 'What is wrong (or how it was read) and what was expected, in Vietnamese.';
COMMENT ON COLUMN ingest_problems.message_en IS 'What is wrong (or how it was read) and what was expected, in English.';
COMMENT ON COLUMN ingest_problems.row_numbers IS 'Every row the same problem is in (up to a thousand), when it is in several.';
COMMENT ON COLUMN ingest_problems.row_count IS 'How many rows the problem is in, when it is in several.';
COMMENT ON COLUMN ingest_files.ward IS 'The ward code of the folder it came from; NULL for a city-level file (the inbox root), whose rows name their wards (see ingest_file_tables).';
COMMENT ON COLUMN ingest_files.receipt_path IS 'The receipt written for the sender (Vietnamese and English), relative to the quarantine for a refused file, to the archive for a loaded one.';

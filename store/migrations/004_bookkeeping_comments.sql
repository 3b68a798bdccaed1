-- The bookkeeping tables' columns described in the database itself, so that
-- readers of the published snapshot see them in duckdb_columns(); and model_runs
-- tied to the job run that ran the transform.
--
-- First, no column default may call a function. DuckDB 1.5 binds a table's
-- defaults again when it replays an ALTER of that table from the write-ahead
-- log, and fails on a function there ("INTERNAL Error: Failure while replaying
-- WAL file …: Calling DatabaseManager::GetDefaultDatabase with no default
-- database set", duckdb/duckdb#18259, #20543): a process stopped after such an
-- ALTER and before the next checkpoint left a database that no longer opens.
-- So ids are taken with nextval() by the INSERT that needs one, and times are
-- given by the INSERT.
ALTER TABLE ingest_files ALTER COLUMN file_id DROP DEFAULT;
ALTER TABLE job_runs ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE schema_version ALTER COLUMN applied_at DROP DEFAULT;

ALTER TABLE model_runs ADD COLUMN IF NOT EXISTS run_id BIGINT;

COMMENT ON COLUMN ingest_files.file_id IS 'The file''s number: nextval(''ingest_file_ids''), given by the INSERT.';
COMMENT ON COLUMN ingest_files.sha256 IS 'SHA-256 of the file''s bytes: the same file received twice is one file.';
COMMENT ON COLUMN ingest_files.original_name IS 'The file name as the ward sent it.';
COMMENT ON COLUMN ingest_files.inbox_path IS 'Where it was found, relative to the inbox.';
COMMENT ON COLUMN ingest_files.archive_path IS 'Where a loaded file is kept, relative to the archive (by checksum, under its own name); NULL for a refused file, which stays in quarantine.';
COMMENT ON COLUMN ingest_files.ward IS 'The ward code it is from, by its folder or its content.';
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
COMMENT ON COLUMN ingest_files.receipt_path IS 'The receipt written for the ward office (Vietnamese and English) of a refused file, relative to the quarantine.';

COMMENT ON COLUMN ingest_problems.file_id IS 'The file it was found in (ingest_files.file_id).';
COMMENT ON COLUMN ingest_problems.severity IS 'error (the file is refused) or warning.';
COMMENT ON COLUMN ingest_problems.sheet IS 'The sheet, NULL for CSV and JSON files.';
COMMENT ON COLUMN ingest_problems.row_number IS 'The row in the sheet as a spreadsheet shows it, or the line of a CSV file.';
COMMENT ON COLUMN ingest_problems.column_name IS 'The column''s header as the file has it.';
COMMENT ON COLUMN ingest_problems.value IS 'The cell''s value as written.';
COMMENT ON COLUMN ingest_problems.code IS 'A stable code: bad_date, out_of_range, unknown_ward and so on.';
COMMENT ON COLUMN ingest_problems.message_vi IS 'What is wrong and what was expected, in Vietnamese.';
COMMENT ON COLUMN ingest_problems.message_en IS 'What is wrong and what was expected, in English.';

COMMENT ON COLUMN job_runs.run_id IS 'The run''s number: nextval(''job_run_ids''), given by the INSERT.';
COMMENT ON COLUMN job_runs.job IS 'ingest, transform, report, reminder or backup.';
COMMENT ON COLUMN job_runs.scheduled_at IS 'The instant the schedule said it was due; NULL when started by hand.';
COMMENT ON COLUMN job_runs.started_at IS 'When it started.';
COMMENT ON COLUMN job_runs.finished_at IS 'When it finished; NULL while running or when the process stopped first.';
COMMENT ON COLUMN job_runs.status IS 'running, ok, failed or skipped.';
COMMENT ON COLUMN job_runs.error IS 'Why it failed or was skipped.';
COMMENT ON COLUMN job_runs.rows_affected IS 'Rows the job loaded, built or wrote.';
COMMENT ON COLUMN job_runs.catch_up IS 'True when run at start for an instant missed while the scheduler was down.';
COMMENT ON COLUMN job_runs.detail IS 'JSON with what the job did: files, models, reports.';

COMMENT ON COLUMN model_runs.model IS 'The SQL model or data test, named after its file.';
COMMENT ON COLUMN model_runs.kind IS 'model or test.';
COMMENT ON COLUMN model_runs.started_at IS 'When the transform run it belongs to started: one value per transform run.';
COMMENT ON COLUMN model_runs.duration_ms IS 'How long it took, in milliseconds.';
COMMENT ON COLUMN model_runs.rows IS 'A model''s rows, or a data test''s failing rows.';
COMMENT ON COLUMN model_runs.status IS 'ok or failed.';
COMMENT ON COLUMN model_runs.error IS 'The error, when it failed.';
COMMENT ON COLUMN model_runs.run_id IS 'The job run (job_runs.run_id) of the transform; NULL when not run as a recorded job.';

COMMENT ON COLUMN reports.month IS 'The month reported on, YYYY-MM.';
COMMENT ON COLUMN reports.version IS '1, 2 and so on: a month rebuilt with other data is a new version, and earlier versions stay.';
COMMENT ON COLUMN reports.lang IS 'vi or en.';
COMMENT ON COLUMN reports.generated_at IS 'When it was rendered.';
COMMENT ON COLUMN reports.data_fingerprint IS 'A checksum of the numbers the report shows: equal fingerprints, equal numbers.';
COMMENT ON COLUMN reports.program_version IS 'The hoctap version that rendered it.';
COMMENT ON COLUMN reports.files IS 'JSON: each file written (HTML, PDF, XLSX, PNG) and its SHA-256.';

COMMENT ON COLUMN schema_version.version IS 'The migration''s number.';
COMMENT ON COLUMN schema_version.name IS 'The migration''s file in store/migrations.';
COMMENT ON COLUMN schema_version.applied_at IS 'When it was applied to this database.';

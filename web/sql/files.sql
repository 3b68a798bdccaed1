-- The files received most recently, newest first: what the data-quality page lists.
SELECT f.file_id, f.original_name, coalesce(f.ward, '') AS ward, coalesce(f.dataset, '') AS dataset,
       coalesce(f.period, '') AS period, f.status, f.received_at, f.rows_loaded, f.warnings, f.problems
FROM ingest_files f
ORDER BY f.received_at DESC, f.file_id DESC
LIMIT 100

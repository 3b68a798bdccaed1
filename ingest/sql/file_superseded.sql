-- The files whose tables a file ($1) superseded.
SELECT DISTINCT file_id FROM ingest_file_tables WHERE superseded_by = ? ORDER BY file_id

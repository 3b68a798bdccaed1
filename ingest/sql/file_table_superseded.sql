-- The files whose table of a dataset ($2) and ward ($3) a file ($1) superseded.
SELECT file_id FROM ingest_file_tables WHERE superseded_by = ? AND dataset = ? AND ward = ? ORDER BY file_id

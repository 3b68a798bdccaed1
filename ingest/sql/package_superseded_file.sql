-- The received file of package $2, superseded by package $1.
UPDATE ingest_files SET status = 'superseded', superseded_by = $1 WHERE file_id = $2

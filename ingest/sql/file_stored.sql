-- What ingest_files keeps of a file ($1).
SELECT original_name, coalesce(ward, '') AS ward, status, rows_loaded, coalesce(dataset, '') AS dataset, received_at
    FROM ingest_files WHERE file_id = ?

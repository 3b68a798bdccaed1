-- The files the published data was built from.
SELECT original_name, coalesce(ward, '') AS ward, coalesce(dataset, '') AS dataset, sha256
FROM ingest_files WHERE status = 'loaded' ORDER BY file_id

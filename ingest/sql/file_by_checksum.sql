-- The first file received with these bytes ($1: their SHA-256) that was not refused.
SELECT file_id, original_name, status, received_at FROM ingest_files
    WHERE sha256 = ? AND status <> 'refused' ORDER BY file_id LIMIT 1

-- The loaded files of a dataset ($1) from the same ward ($3; NULL: the city)
-- before a file ($2): those a replacement may name.
SELECT DISTINCT f.file_id, f.original_name FROM ingest_files f
    JOIN ingest_file_tables t ON t.file_id = f.file_id AND t.dataset = ? AND t.status = 'loaded'
    WHERE f.file_id <> ? AND f.ward IS NOT DISTINCT FROM ?

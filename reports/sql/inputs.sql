-- The files the data was built from, with the day each was received (when
-- ingest read it, or its own modification time when earlier).
SELECT original_name, coalesce(ward, '') AS ward, coalesce(dataset, '') AS dataset,
       coalesce(period, '') AS period, sha256,
       least(received_at, coalesce(file_modified_at, received_at)) AS received_at
FROM ingest_files WHERE status = 'loaded' ORDER BY file_id

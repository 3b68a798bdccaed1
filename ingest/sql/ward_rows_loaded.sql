-- How many keys a ward ($4) has loaded of a dataset before a file ($1): what a
-- replacement would remove part of. Filled in by fmt.Sprintf: the dataset's
-- query of tables.sql, then the dataset.
WITH r AS (%s)
    SELECT count(DISTINCT r.record_key) FROM r SEMI JOIN ingest_file_tables t ON t.file_id = r.file_id AND t.dataset = '%s' AND t.ward = r.ward AND t.status = 'loaded'
    WHERE r.file_id <> $1 AND r.ward = $4

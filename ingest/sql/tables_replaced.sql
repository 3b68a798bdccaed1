-- The loaded tables that a replacement replaces, of its dataset and ward (the
-- arguments: the replacement's file, its dataset, its ward, then the
-- condition's). Filled in by fmt.Sprintf: the condition on them (the files it
-- names, the same period, or every one).
SELECT file_id FROM ingest_file_tables
WHERE file_id <> ? AND dataset = ? AND ward = ? AND status = 'loaded' AND %s ORDER BY file_id

-- How many of a ward's ($4) keys of a dataset a replacement ($1) removes: the
-- keys of the files it supersedes ($5) that neither it nor the ward's other
-- loaded files hold. Filled in by fmt.Sprintf: the dataset's query of
-- tables.sql (its rows with ward and period; $2, $3: the units' codes and
-- wards), then the dataset.
WITH r AS (%s),
    kept AS (SELECT r.record_key FROM r SEMI JOIN ingest_file_tables ft ON ft.file_id = r.file_id AND ft.dataset = '%s' AND ft.ward = r.ward AND ft.status = 'loaded'
             WHERE r.ward = $4 AND r.file_id <> ALL($5)
             UNION SELECT record_key FROM r WHERE file_id = $1 AND ward = $4)
    SELECT count(DISTINCT r.record_key) FROM r
    WHERE r.file_id = ANY($5) AND r.ward = $4 AND r.record_key NOT IN (SELECT record_key FROM kept)

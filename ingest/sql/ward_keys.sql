-- What a ward's file ($1) brings to its ward's ($3) dataset ($2): its rows'
-- period, and how many of its keys are new (added) or already loaded in an
-- earlier file (replaced). Filled in by fmt.Sprintf: the dataset's raw table,
-- then the SQL of a row's period.
WITH mine AS (SELECT DISTINCT record_key FROM %[1]s WHERE file_id = $1)
    SELECT (SELECT coalesce(mode(%[2]s), '') FROM %[1]s WHERE file_id = $1) AS period,
           count(*) FILTER (WHERE seen IS NOT TRUE) AS added, count(*) FILTER (WHERE seen) AS replaced
    FROM (SELECT record_key IN (SELECT record_key FROM %[1]s
                                WHERE file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = $2 AND ward = $3 AND status = 'loaded' AND file_id <> $1)) AS seen
          FROM mine)

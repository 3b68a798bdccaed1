-- What a city's file ($1) brings to each ward's dataset: per ward, its rows,
-- sheets and period, and how many of its keys are new (added) or already
-- loaded for that ward (replaced). Filled in by fmt.Sprintf: the dataset's
-- query of tables.sql (its rows with ward and period; $2, $3: the units'
-- codes and wards), then the dataset.
WITH r AS (%s),
    mine AS (SELECT * FROM r WHERE file_id = $1),
    before AS (SELECT r.* FROM r SEMI JOIN ingest_file_tables t ON t.file_id = r.file_id AND t.dataset = '%s' AND t.ward = r.ward AND t.status = 'loaded'
               WHERE r.file_id <> $1),
    keys AS (SELECT ward, count(*) FILTER (WHERE seen IS NOT TRUE) AS added, count(*) FILTER (WHERE seen) AS replaced
             FROM (SELECT ward, {'w': ward, 'k': record_key} IN (SELECT {'w': ward, 'k': record_key} FROM before) AS seen
                   FROM (SELECT DISTINCT ward, record_key FROM mine WHERE record_key IS NOT NULL))
             GROUP BY ward)
    SELECT m.ward, mode(m.period) AS period, count(DISTINCT (m.sheet, m.row_number)) AS rows,
           coalesce(string_agg(DISTINCT m.sheet, ', ' ORDER BY m.sheet), '') AS sheets,
           coalesce(any_value(k.added), 0) AS added, coalesce(any_value(k.replaced), 0) AS replaced
    FROM mine m LEFT JOIN keys k USING (ward)
    GROUP BY m.ward ORDER BY m.ward

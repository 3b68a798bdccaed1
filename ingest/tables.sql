-- The rows of each dataset with the ward they are of and the period they
-- cover, for the tables a loaded file holds (ingest_file_tables: one row per
-- file, dataset and ward) and for what it adds, replaces or removes. $1 is the
-- file being loaded; each query returns (file_id, sheet, row_number,
-- record_key, ward, period). A ward's file is of its folder's ward; a city's
-- file names the ward on each row, or, for surveys and unit self-assessments,
-- through the person's registration or the unit. $2 and $3 are the configured
-- units' codes and wards, parameters of every query (those that need no unit
-- only name them). The name of each query is its "-- name:" line.

-- name: units
SELECT file_id, sheet, row_number, record_key, ward, strftime(registered_on, '%Y-%m') AS period
FROM raw_units
WHERE len(CAST($2 AS VARCHAR[])) >= 0 AND len(CAST($3 AS VARCHAR[])) >= 0;

-- name: citizens
SELECT file_id, sheet, row_number, record_key, ward, strftime(registered_on, '%Y-%m') AS period
FROM raw_citizens
WHERE len(CAST($2 AS VARCHAR[])) >= 0 AND len(CAST($3 AS VARCHAR[])) >= 0;

-- name: activities
SELECT file_id, sheet, row_number, record_key, ward, strftime(activity_date, '%Y-%m') AS period
FROM raw_activities
WHERE len(CAST($2 AS VARCHAR[])) >= 0 AND len(CAST($3 AS VARCHAR[])) >= 0;

-- name: citizen_assessments
SELECT a.file_id, a.sheet, a.row_number, a.record_key, coalesce(f.ward, c.ward, '') AS ward, a.round AS period
FROM raw_citizen_assessments a
JOIN ingest_files f ON f.file_id = a.file_id
LEFT JOIN (SELECT citizen_id, arg_max(ward, file_id) AS ward
           FROM raw_citizens
           WHERE file_id = $1
              OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'citizens' AND status = 'loaded')
           GROUP BY citizen_id) c ON c.citizen_id = a.citizen_id
WHERE len(CAST($2 AS VARCHAR[])) >= 0 AND len(CAST($3 AS VARCHAR[])) >= 0;

-- name: unit_assessments
SELECT a.file_id, a.sheet, a.row_number, a.record_key,
       coalesce(f.ward, CAST($3 AS VARCHAR[])[list_position(CAST($2 AS VARCHAR[]), a.unit_code)], u.ward, '') AS ward,
       strftime(a.assessed_on, '%Y-%m') AS period
FROM raw_unit_assessments a
JOIN ingest_files f ON f.file_id = a.file_id
LEFT JOIN (SELECT unit_code, arg_max(ward, file_id) AS ward
           FROM raw_units
           WHERE file_id = $1
              OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'units' AND status = 'loaded')
           GROUP BY unit_code) u ON u.unit_code = a.unit_code;

-- name: decisions
SELECT d.file_id, d.sheet, d.row_number, d.record_key,
       coalesce(f.ward, d.ward, c.ward, CAST($3 AS VARCHAR[])[list_position(CAST($2 AS VARCHAR[]), d.unit_code)], u.ward, '') AS ward,
       strftime(d.decided_on, '%Y-%m') AS period
FROM raw_decisions d
JOIN ingest_files f ON f.file_id = d.file_id
LEFT JOIN (SELECT citizen_id, arg_max(ward, file_id) AS ward FROM raw_citizens
           WHERE file_id = $1 OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'citizens' AND status = 'loaded')
           GROUP BY citizen_id) c ON c.citizen_id = d.citizen_id
LEFT JOIN (SELECT unit_code, arg_max(ward, file_id) AS ward FROM raw_units
           WHERE file_id = $1 OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'units' AND status = 'loaded')
           GROUP BY unit_code) u ON u.unit_code = d.unit_code;

-- name: family_assessments
SELECT file_id, sheet, row_number, record_key, ward, strftime(assessed_on, '%Y-%m') AS period
FROM raw_family_assessments
WHERE len(CAST($2 AS VARCHAR[])) >= 0 AND len(CAST($3 AS VARCHAR[])) >= 0;

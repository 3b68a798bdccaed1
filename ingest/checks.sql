-- Checks that need the database, run inside the loading transaction on the rows
-- just appended for file_id = $1. Each returns (sheet, row_number, column_name,
-- value, code): one row per problem. The name of each check is its "-- name:" line.

-- name: duplicate_units
SELECT sheet, row_number, 'unit_code', unit_code, 'duplicate_row'
FROM (SELECT *, count(*) OVER (PARTITION BY unit_code) AS n, row_number() OVER (PARTITION BY unit_code ORDER BY row_number) AS k
      FROM raw_units WHERE file_id = $1)
WHERE n > 1 AND k > 1;

-- name: duplicate_citizens
SELECT sheet, row_number, 'citizen_id', citizen_id, 'duplicate_row'
FROM (SELECT *, count(*) OVER (PARTITION BY citizen_id) AS n, row_number() OVER (PARTITION BY citizen_id ORDER BY row_number) AS k
      FROM raw_citizens WHERE file_id = $1)
WHERE n > 1 AND k > 1;

-- name: duplicate_assessments
SELECT sheet, row_number, 'citizen_id', citizen_id, 'duplicate_row'
FROM (SELECT *, row_number() OVER (PARTITION BY citizen_id, round ORDER BY row_number) AS k
      FROM raw_citizen_assessments WHERE file_id = $1)
WHERE k > 1;

-- name: duplicate_unit_assessments
SELECT sheet, row_number, 'unit_code', unit_code, 'duplicate_row'
FROM (SELECT DISTINCT sheet, row_number, unit_code, assessed_on FROM raw_unit_assessments WHERE file_id = $1)
QUALIFY row_number() OVER (PARTITION BY unit_code, assessed_on ORDER BY row_number) > 1;

-- name: unregistered_citizens
SELECT a.sheet, a.row_number, 'citizen_id', a.citizen_id, 'unregistered'
FROM raw_citizen_assessments a
WHERE a.file_id = $1
  AND NOT EXISTS (SELECT 1 FROM raw_citizens c
                  JOIN ingest_file_tables t ON t.file_id = c.file_id AND t.dataset = 'citizens' AND t.status = 'loaded'
                  WHERE c.citizen_id = a.citizen_id)
  AND NOT EXISTS (SELECT 1 FROM raw_citizens c WHERE c.file_id = $1 AND c.citizen_id = a.citizen_id);

-- name: unknown_units_assessed
SELECT DISTINCT a.sheet, a.row_number, 'unit_code', a.unit_code, 'unregistered_unit'
FROM raw_unit_assessments a
WHERE a.file_id = $1
  AND NOT list_contains(CAST($2 AS VARCHAR[]), a.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u
                  JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.status = 'loaded'
                  WHERE u.unit_code = a.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u WHERE u.file_id = $1 AND u.unit_code = a.unit_code);

-- name: unknown_workplaces
SELECT c.sheet, c.row_number, 'unit_code', c.unit_code, 'unregistered_unit'
FROM raw_citizens c
WHERE c.file_id = $1 AND c.unit_code IS NOT NULL
  AND NOT list_contains(CAST($2 AS VARCHAR[]), c.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u
                  JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.status = 'loaded'
                  WHERE u.unit_code = c.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u WHERE u.file_id = $1 AND u.unit_code = c.unit_code);

-- Checks that need the database, run inside the loading transaction on the rows
-- just appended for file_id = $1. Each returns (sheet, row_number, column_name,
-- value, code): one row per problem; a code "note:…" is a note, not a problem.
-- Each returns at most what a receipt lists (the loader stops reading at 10,000).
-- The name of each check is its "-- name:" line; its "-- dataset:" line names
-- the dataset whose raw table holds the file's rows it checks: a file with no
-- row of that dataset has none to check, and the query is not run (a check
-- against the registrations builds its hash table of every registered person
-- even for a file of three unit self-assessments).

-- name: duplicate_units
-- dataset: units
SELECT sheet, row_number, 'unit_code', unit_code, 'duplicate_row'
FROM (SELECT *, count(*) OVER (PARTITION BY unit_code) AS n, row_number() OVER (PARTITION BY unit_code ORDER BY row_number) AS k
      FROM raw_units WHERE file_id = $1)
WHERE n > 1 AND k > 1;

-- name: duplicate_citizens
-- dataset: citizens
-- Rows are first narrowed to those whose code's hash repeats (a window over a
-- number is much cheaper than over text), then numbered by their code.
SELECT sheet, row_number, 'citizen_id', citizen_id, 'duplicate_row'
FROM (SELECT sheet, row_number, citizen_id, count(*) OVER (PARTITION BY hash(citizen_id)) AS n
      FROM raw_citizens WHERE file_id = $1)
WHERE n > 1
QUALIFY row_number() OVER (PARTITION BY citizen_id ORDER BY row_number) > 1;

-- name: duplicate_assessments
-- dataset: citizen_assessments
-- The same person twice in one round of one file is a mistake, unless a form
-- tool timed each answer: then it is a resubmission (the later counts).
SELECT sheet, row_number, 'citizen_id', citizen_id, 'duplicate_row'
FROM (SELECT sheet, row_number, citizen_id, round, submitted_at, count(*) OVER (PARTITION BY hash(citizen_id, round)) AS n
      FROM raw_citizen_assessments WHERE file_id = $1)
WHERE n > 1
QUALIFY row_number() OVER (PARTITION BY citizen_id, round ORDER BY row_number) > 1
    AND count(*) FILTER (WHERE submitted_at IS NULL) OVER (PARTITION BY citizen_id, round) > 0;

-- name: resubmissions
-- dataset: citizen_assessments
-- A note for each earlier submission of a person, round and day that a later
-- one of the same file replaces: it stays in the raw rows, in history.
SELECT sheet, row_number, 'citizen_id', citizen_id, 'note:resubmitted'
FROM (SELECT sheet, row_number, citizen_id, record_key, submitted_at, count(*) OVER (PARTITION BY hash(record_key)) AS n
      FROM raw_citizen_assessments WHERE file_id = $1 AND submitted_at IS NOT NULL)
WHERE n > 1
QUALIFY row_number() OVER (PARTITION BY record_key ORDER BY submitted_at DESC, row_number DESC) > 1;

-- name: duplicate_unit_assessments
-- dataset: unit_assessments
SELECT sheet, row_number, 'unit_code', unit_code, 'duplicate_row'
FROM (SELECT DISTINCT sheet, row_number, unit_code, assessed_on FROM raw_unit_assessments WHERE file_id = $1)
QUALIFY row_number() OVER (PARTITION BY unit_code, assessed_on ORDER BY row_number) > 1;

-- name: unregistered_citizens
-- dataset: citizen_assessments
-- One anti join against every registration that counts (loaded files', and
-- this file's), rather than a correlated NOT EXISTS for each.
SELECT a.sheet, a.row_number, 'citizen_id', a.citizen_id, 'unregistered'
FROM raw_citizen_assessments a
ANTI JOIN (SELECT citizen_id FROM raw_citizens
           WHERE file_id = $1
              OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'citizens' AND status = 'loaded')) c
  ON a.citizen_id = c.citizen_id
WHERE a.file_id = $1;

-- name: unknown_units_assessed
-- dataset: unit_assessments
SELECT DISTINCT a.sheet, a.row_number, 'unit_code', a.unit_code, 'unregistered_unit'
FROM raw_unit_assessments a
WHERE a.file_id = $1
  AND NOT list_contains(CAST($2 AS VARCHAR[]), a.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u
                  JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.status = 'loaded'
                  WHERE u.unit_code = a.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u WHERE u.file_id = $1 AND u.unit_code = a.unit_code);

-- name: unknown_workplaces
-- dataset: citizens
SELECT c.sheet, c.row_number, 'unit_code', c.unit_code, 'unregistered_unit'
FROM raw_citizens c
WHERE c.file_id = $1 AND c.unit_code IS NOT NULL
  AND NOT list_contains(CAST($2 AS VARCHAR[]), c.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u
                  JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.status = 'loaded'
                  WHERE u.unit_code = c.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u WHERE u.file_id = $1 AND u.unit_code = c.unit_code);

-- name: duplicate_decisions
-- dataset: decisions
SELECT sheet, row_number, CASE title WHEN 'citizen' THEN 'citizen_id' WHEN 'family' THEN 'household_code' ELSE 'unit_code' END,
       coalesce(citizen_id, unit_code, household_code), 'duplicate_row'
FROM raw_decisions WHERE file_id = $1
QUALIFY row_number() OVER (PARTITION BY decision_number, title, coalesce(citizen_id, unit_code, household_code) ORDER BY row_number) > 1;

-- name: unregistered_recognised
-- dataset: decisions
SELECT d.sheet, d.row_number, 'citizen_id', d.citizen_id, 'unregistered'
FROM raw_decisions d
ANTI JOIN (SELECT citizen_id FROM raw_citizens
           WHERE file_id = $1
              OR file_id IN (SELECT file_id FROM ingest_file_tables WHERE dataset = 'citizens' AND status = 'loaded')) c
  ON d.citizen_id = c.citizen_id
WHERE d.file_id = $1 AND d.citizen_id IS NOT NULL;

-- name: unknown_units_recognised
-- dataset: decisions
SELECT d.sheet, d.row_number, 'unit_code', d.unit_code, 'unregistered_unit'
FROM raw_decisions d
WHERE d.file_id = $1 AND d.unit_code IS NOT NULL
  AND NOT list_contains(CAST($2 AS VARCHAR[]), d.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u
                  JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.status = 'loaded'
                  WHERE u.unit_code = d.unit_code)
  AND NOT EXISTS (SELECT 1 FROM raw_units u WHERE u.file_id = $1 AND u.unit_code = d.unit_code);

-- name: duplicate_family_assessments
-- dataset: family_assessments
SELECT sheet, row_number, 'household_code', household_code, 'duplicate_row'
FROM (SELECT DISTINCT sheet, row_number, household_code, assessed_on FROM raw_family_assessments WHERE file_id = $1)
QUALIFY row_number() OVER (PARTITION BY household_code, assessed_on ORDER BY row_number) > 1;

-- name: unknown_households_recognised
-- dataset: decisions
SELECT d.sheet, d.row_number, 'household_code', d.household_code, 'unregistered_household'
FROM raw_decisions d
WHERE d.file_id = $1 AND d.household_code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM raw_family_assessments a
                  JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'family_assessments' AND t.status = 'loaded'
                  WHERE a.household_code = d.household_code)
  AND NOT EXISTS (SELECT 1 FROM raw_family_assessments a WHERE a.file_id = $1 AND a.household_code = d.household_code);

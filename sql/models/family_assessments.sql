-- One row per household assessment for "Gia đình học tập" (the row of the
-- file received last, when several give the same household and day), judged
-- by the version of the criteria in force on the day of the assessment
-- (cfg_title_versions of gia_dinh): its total of the points criteria, how
-- many of that version's criteria it meets and leaves empty, and whether it
-- makes the household eligible (đủ điều kiện). Only a decision that names the
-- household recognises it (family_status_monthly). Criteria of the file that
-- the version does not have are not counted.
-- columns:
--   household_code: the household, as the ward codes it
--   ward: ward code
--   hamlet: ấp, khóm or tổ dân phố, as written
--   head_name: the head of household
--   members: number of members
--   assessed_on: the day of the assessment
--   version: the version of the criteria in force that day (cfg_title_versions.version); NULL when none was
--   criteria: that version's number of criteria
--   total: the points of its points criteria, added exactly (DECIMAL)
--   criteria_met: its criteria met: a yes, or points from the criterion's threshold up to its max
--   criteria_missing: its criteria the row leaves empty
--   eligible: a version was in force, no criterion is missing, total ≥ min_total and, when the version asks, every criterion is met
--   file_id: lineage: ingest_files.file_id
--   sheet: lineage: the sheet of the row
--   row_number: lineage: the row in the sheet
WITH loaded AS (
    SELECT a.*
    FROM raw_family_assessments a
    SEMI JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'family_assessments' AND t.status = 'loaded'
    JOIN ingest_files f ON f.file_id = a.file_id
    QUALIFY dense_rank() OVER (PARTITION BY a.record_key ORDER BY f.received_at DESC, a.file_id DESC, a.row_number DESC) = 1
),
assessed AS (
    SELECT DISTINCT household_code, ward, hamlet, head_name, members, assessed_on, file_id, sheet, row_number
    FROM loaded
),
versioned AS (
    SELECT a.*, v.version, v.min_total, v.all_criteria
    FROM assessed a
    LEFT JOIN cfg_title_versions v ON v.framework = 'gia_dinh' AND a.assessed_on >= v.valid_from
                                  AND (v.valid_to IS NULL OR a.assessed_on <= v.valid_to)
),
judged AS (
    SELECT a.household_code, a.assessed_on, c.criterion, c.kind, r.result,
           CASE WHEN r.result IS NULL THEN false
                WHEN c.kind = 'yes_no' THEN r.result = 1
                ELSE r.result >= c.threshold AND r.result <= c.max END AS met
    FROM versioned a
    JOIN cfg_title_criteria c ON c.framework = 'gia_dinh' AND c.version = a.version
    LEFT JOIN loaded r ON r.household_code = a.household_code AND r.assessed_on = a.assessed_on AND r.criterion = c.criterion
),
summed AS (
    SELECT a.household_code, a.assessed_on,
           count(j.criterion) AS criteria,
           coalesce(sum(CAST(j.result AS DECIMAL(9,2))) FILTER (WHERE j.kind = 'points'), 0) AS total,
           count(*) FILTER (WHERE j.met) AS criteria_met,
           count(*) FILTER (WHERE j.criterion IS NOT NULL AND j.result IS NULL) AS criteria_missing
    FROM versioned a
    LEFT JOIN judged j ON j.household_code = a.household_code AND j.assessed_on = a.assessed_on
    GROUP BY a.household_code, a.assessed_on
)
SELECT a.household_code, a.ward, a.hamlet, a.head_name, a.members, a.assessed_on, a.version,
       s.criteria, s.total, s.criteria_met, s.criteria_missing,
       a.version IS NOT NULL AND s.criteria_missing = 0 AND s.total >= a.min_total
         AND (NOT a.all_criteria OR s.criteria_met = s.criteria) AS eligible,
       a.file_id, a.sheet, a.row_number
FROM versioned a
JOIN summed s ON s.household_code = a.household_code AND s.assessed_on = a.assessed_on

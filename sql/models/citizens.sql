-- Learning citizens: each person registered to strive for "Công dân học tập",
-- from their latest registration row in a loaded file (a corrected re-export
-- replaces the file it corrects, so superseded files are never read).
-- columns:
--   citizen_id: the ward's local code (never a national ID number)
--   full_name: the person's name, NFC
--   gender: Nam or Nữ
--   birth_year: year of birth
--   group_id: target group, cfg_target_groups.group_id
--   ward: ward code, cfg_wards.ward
--   hamlet: ấp or khóm
--   unit_code: workplace unit, if any
--   registered_on: the day of registration
--   file_id: lineage: ingest_files.file_id
--   sheet: lineage: the sheet of the row
--   row_number: lineage: the row in the sheet

-- incremental by: citizen_id (a person's rows depend only on that person's rows)

-- How: rows of files still loaded, kept whole but for the people found in
-- more than one row: only those are ranked, so the window never sorts the
-- full set (as in assessments).
WITH loaded AS (
    SELECT c.*, f.received_at
    FROM raw_citizens c
    SEMI JOIN ingest_file_tables t ON t.file_id = c.file_id AND t.dataset = 'citizens' AND t.ward = c.ward AND t.status = 'loaded'
    JOIN ingest_files f ON f.file_id = c.file_id
),
repeated AS (
    SELECT citizen_id FROM loaded GROUP BY citizen_id HAVING count(*) > 1
),
latest AS (
    SELECT * FROM loaded c ANTI JOIN repeated d ON d.citizen_id IS NOT DISTINCT FROM c.citizen_id
    UNION ALL
    SELECT * FROM loaded c SEMI JOIN repeated d ON d.citizen_id IS NOT DISTINCT FROM c.citizen_id
    QUALIFY row_number() OVER (PARTITION BY c.citizen_id
                               ORDER BY c.received_at DESC, c.file_id DESC, c.row_number DESC) = 1
)
SELECT c.citizen_id, c.full_name, c.gender, c.birth_year, c.group_id, c.ward, c.hamlet,
       c.unit_code, c.registered_on, c.file_id, c.sheet, c.row_number
FROM latest c

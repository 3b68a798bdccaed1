-- Recognition decisions (Quyết định công nhận): one row per person or unit a
-- decision recognises, from loaded files; when the same decision names the same
-- person or unit in several files, the row received last counts. Scores make a
-- person or unit eligible; only these rows make them recognised.
-- columns:
--   decision_number: the decision's number and sign, such as 125/QĐ-UBND
--   decided_on: the day it was signed
--   issuer: the body that issued it
--   title: citizen (Công dân học tập), unit (Đơn vị học tập) or family (Gia đình học tập)
--   citizen_id: the person recognised, for the citizen title
--   unit_code: the unit recognised, for the unit title
--   ward: ward code: the list's, else the person's or the unit's registration
--   full_name: the name as the list writes it, if given
--   file_id: lineage: ingest_files.file_id
--   sheet: lineage: the sheet of the row
--   row_number: lineage: the row in the sheet
--   household_code: the household recognised, for the family title (Gia đình học tập)
WITH loaded AS (
    SELECT d.*
    FROM raw_decisions d
    SEMI JOIN ingest_file_tables t ON t.file_id = d.file_id AND t.dataset = 'decisions' AND t.status = 'loaded'
    JOIN ingest_files f ON f.file_id = d.file_id
    QUALIFY row_number() OVER (PARTITION BY d.decision_number, d.title, coalesce(d.citizen_id, d.unit_code, d.household_code)
                               ORDER BY f.received_at DESC, d.file_id DESC, d.row_number DESC) = 1
)
SELECT d.decision_number, d.decided_on, d.issuer, d.title, d.citizen_id, d.unit_code,
       coalesce(d.ward, c.ward, u.ward) AS ward, d.full_name,
       d.file_id, d.sheet, d.row_number, d.household_code
FROM loaded d
LEFT JOIN citizens c ON c.citizen_id = d.citizen_id
LEFT JOIN units u ON u.unit_code = d.unit_code

-- One row per unit self-assessment and item of the unit scheme (Thông tư
-- 22/2020 by default), from loaded files; when the same unit and day appear in
-- several loaded files, the file received last counts.
-- columns:
--   unit_code: the unit
--   assessed_on: the day of the self-assessment
--   item: cfg_unit_items.item, such as TC1.1
--   criterion: the item's criterion
--   score: the item's score
--   max_score: the item's maximum
--   file_id: lineage
--   sheet: lineage
--   row_number: lineage
WITH latest AS (
    SELECT a.*
    FROM raw_unit_assessments a
    SEMI JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'unit_assessments' AND t.status = 'loaded'
    JOIN ingest_files f ON f.file_id = a.file_id
    QUALIFY dense_rank() OVER (PARTITION BY a.unit_code, a.assessed_on
                               ORDER BY f.received_at DESC, a.file_id DESC, a.row_number DESC) = 1
)
SELECT l.unit_code, l.assessed_on, l.item, i.criterion,
       CAST(l.score AS DECIMAL(9, 3)) AS score, CAST(i.max AS DECIMAL(9, 3)) AS max_score,
       l.file_id, l.sheet, l.row_number
FROM latest l
JOIN cfg_unit_items i ON i.item = l.item

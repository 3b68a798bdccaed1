-- Learning and outreach activities from loaded files; an activity a later file
-- repeats (the same ward, day, kind and title: a running log sent again) counts
-- once, as the later file has it.
-- columns:
--   activity_date: the day
--   month: YYYY-MM of the day
--   ward: ward code
--   kind: as written (tuyên truyền, tập huấn, sinh hoạt câu lạc bộ, …)
--   title: what it was
--   participants: how many took part
--   hours: how long, in hours
--   file_id: lineage
--   sheet: lineage
--   row_number: lineage
SELECT a.activity_date, strftime(a.activity_date, '%Y-%m') AS month, a.ward, a.kind, a.title,
       a.participants, a.hours, a.file_id, a.sheet, a.row_number
FROM raw_activities a
SEMI JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'activities' AND t.ward = a.ward AND t.status = 'loaded'
JOIN ingest_files f ON f.file_id = a.file_id
QUALIFY row_number() OVER (PARTITION BY coalesce(a.record_key, a.file_id || '/' || a.row_number)
                           ORDER BY f.received_at DESC, a.file_id DESC, a.row_number DESC) = 1

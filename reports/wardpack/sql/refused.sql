-- A ward's ($2) files refused in the month ($1: sent then, as the report's
-- refused files are dated), each with the first errors its receipt lists
-- (sheet, row, column, message in both languages) and how many there are.
SELECT f.file_id, f.original_name, coalesce(f.file_modified_at, f.received_at)::DATE AS sent_on,
       coalesce(f.receipt_path, '') AS receipt_path,
       (SELECT count(*) FROM ingest_problems p WHERE p.file_id = f.file_id AND p.severity = 'error') AS errors,
       coalesce((SELECT list({'sheet': coalesce(p.sheet, ''), 'row': coalesce(p.row_number, 0), 'col': coalesce(p.column_name, ''),
                              'vi': p.message_vi, 'en': p.message_en} ORDER BY p.sheet, p.row_number, p.column_name)[1:2]
                 FROM ingest_problems p WHERE p.file_id = f.file_id AND p.severity = 'error'), []) AS reasons
FROM ingest_files f
WHERE f.status = 'refused' AND f.ward = $2
  AND strftime(coalesce(f.file_modified_at, f.received_at), '%Y-%m') = $1
ORDER BY sent_on, f.original_name

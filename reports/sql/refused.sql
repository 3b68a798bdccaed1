-- Files refused up to the month's end ($1), as the ward saved them, with the
-- number of problems their receipts list.
SELECT coalesce(f.ward, '') AS ward, f.original_name,
       coalesce(f.file_modified_at, f.received_at)::DATE AS sent_on,
       f.problems, coalesce(f.receipt_path, '') AS receipt_path
FROM ingest_files f
WHERE f.status = 'refused'
  AND strftime(coalesce(f.file_modified_at, f.received_at), '%Y-%m') <= $1
ORDER BY sent_on, f.ward, f.original_name

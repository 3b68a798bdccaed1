-- The refused files with the receipt ingest wrote for each, newest first: the
-- data-quality page shows those whose receipt is still in the quarantine.
SELECT coalesce(f.ward, '') AS ward, f.original_name, f.received_at, f.receipt_path
FROM ingest_files f
WHERE f.status = 'refused' AND f.receipt_path IS NOT NULL
ORDER BY f.received_at DESC, f.file_id DESC
LIMIT 100

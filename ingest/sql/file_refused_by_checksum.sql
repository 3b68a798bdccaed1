-- The refusals of these bytes ($1: their SHA-256), the latest first, with their receipts.
SELECT file_id, coalesce(receipt_path, '') AS receipt_path FROM ingest_files
    WHERE sha256 = ? AND status = 'refused' ORDER BY file_id DESC

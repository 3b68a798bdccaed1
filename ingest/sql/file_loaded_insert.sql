-- A loaded file's row of ingest_files, written first in its load's transaction.
INSERT INTO ingest_files (file_id, sha256, original_name, inbox_path, archive_path, ward, received_at, file_modified_at, size_bytes, status, receipt_path)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?)

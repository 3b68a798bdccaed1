-- A refused file's row of ingest_files, with its counts of warnings and problems.
INSERT INTO ingest_files (file_id, sha256, original_name, inbox_path, ward, dataset, received_at, file_modified_at, size_bytes, status, warnings, problems, receipt_path)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'refused', ?, ?, ?)

-- A package taken: its row in ingest_files, like any received file. $1 id,
-- $2 sha256, $3 name, $4 inbox path, $5 archive path, $6 months "A..B",
-- $7 received, $8 the file's own time, $9 bytes, $10 rows, $11 receipt.
INSERT INTO ingest_files (file_id, sha256, original_name, inbox_path, archive_path, dataset, period, received_at,
                          file_modified_at, size_bytes, status, rows_loaded, receipt_path)
VALUES ($1, $2, $3, $4, $5, 'package', $6, $7, $8, $9, 'loaded', $10, $11)

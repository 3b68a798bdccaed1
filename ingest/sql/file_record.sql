-- A loaded file's datasets, periods, rows and warnings, once its tables are recorded.
UPDATE ingest_files SET dataset = ?, period = ?, rows_loaded = ?, warnings = ? WHERE file_id = ?

-- A file's problems ($1), in the order its receipt lists them.
SELECT severity, sheet, row_number, row_count, column_name, value, code, message_vi, message_en
    FROM ingest_problems WHERE file_id = ? ORDER BY rowid

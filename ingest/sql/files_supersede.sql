-- The files left with no table that counts are superseded by the replacement
-- ($1).
UPDATE ingest_files SET status = 'superseded', superseded_by = ?
    WHERE file_id IN (SELECT file_id FROM ingest_file_tables GROUP BY file_id HAVING bool_and(status = 'superseded'))
      AND status = 'loaded'

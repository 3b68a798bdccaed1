-- A replacement ($1) supersedes the tables of a dataset ($3) and ward ($4) of
-- the files it replaces ($2).
UPDATE ingest_file_tables SET status = 'superseded', superseded_by = ?
    WHERE file_id = ANY(?) AND dataset = ? AND ward = ? AND status = 'loaded'

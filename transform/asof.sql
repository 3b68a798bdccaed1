-- The pipeline's files as they stood at an instant: the files received before
-- it (asof_cutoff.cutoff), each with the status it had then. A file's received
-- instant is when ingest read it, or its own modification time when earlier (an
-- archive loaded at once keeps the day each file was sent). A table superseded
-- by a file received after the instant was still loaded then; a file was
-- superseded when all its tables were, as ingest marks it.
CREATE TABLE snapshot.asof_files AS
SELECT f.file_id FROM main.ingest_files f, snapshot.asof_cutoff c
WHERE least(f.received_at, coalesce(f.file_modified_at, f.received_at)) < c.cutoff;

CREATE TABLE snapshot.ingest_file_tables AS
SELECT t.* REPLACE (
           CASE WHEN t.status = 'superseded' AND s.file_id IS NULL THEN 'loaded' ELSE t.status END AS status,
           CASE WHEN s.file_id IS NULL THEN NULL ELSE t.superseded_by END AS superseded_by)
FROM main.ingest_file_tables t
SEMI JOIN snapshot.asof_files k ON k.file_id = t.file_id
LEFT JOIN snapshot.asof_files s ON s.file_id = t.superseded_by;

CREATE TABLE snapshot.ingest_files AS
WITH tables AS (
    SELECT file_id, bool_and(status = 'superseded') AS superseded,
           max(superseded_by) FILTER (WHERE status = 'superseded') AS superseded_by
    FROM snapshot.ingest_file_tables GROUP BY file_id
)
SELECT f.* REPLACE (
           CASE WHEN f.status = 'superseded' AND NOT coalesce(t.superseded, false) THEN 'loaded' ELSE f.status END AS status,
           CASE WHEN f.status = 'superseded' AND coalesce(t.superseded, false) THEN t.superseded_by END AS superseded_by)
FROM main.ingest_files f
SEMI JOIN snapshot.asof_files k ON k.file_id = f.file_id
LEFT JOIN tables t ON t.file_id = f.file_id;

DROP TABLE snapshot.asof_files;

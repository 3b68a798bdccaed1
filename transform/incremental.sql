-- An incremental run's changes, in the schema snapshot.delta of a build that
-- starts from a copy of the published snapshot (see incremental.go).
--
-- delta.prev_file_tables: the files' tables as the published snapshot saw them
-- (written before this script, from the copy's ingest_file_tables).
-- delta.changed_files: every file one of whose tables is new, gone or of
-- another status than then: loaded since, superseded since, or (for a
-- replacement) reinstated.
CREATE TABLE snapshot.delta.changed_files AS
SELECT DISTINCT file_id FROM (
    (SELECT file_id, dataset, ward, status FROM main.ingest_file_tables
     EXCEPT
     SELECT file_id, dataset, ward, status FROM snapshot.delta.prev_file_tables)
    UNION ALL
    (SELECT file_id, dataset, ward, status FROM snapshot.delta.prev_file_tables
     EXCEPT
     SELECT file_id, dataset, ward, status FROM main.ingest_file_tables)
);

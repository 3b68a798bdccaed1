-- A scratch database (hoctap validate) starts from the published snapshot,
-- attached as snap: the files it holds,
INSERT INTO ingest_files SELECT * FROM snap.ingest_files

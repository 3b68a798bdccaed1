-- their tables,
INSERT INTO ingest_file_tables BY NAME SELECT * FROM snap.ingest_file_tables

-- The latest instant a file the data holds was received: when ingest read
-- it, or its own modification time when earlier (an archive loaded at once
-- keeps the day each file was sent). NULL when no file was received.
SELECT max(least(received_at, coalesce(file_modified_at, received_at))) AS received
FROM ingest_files

-- How many files were received at or after an instant ($1): when ingest read
-- them, or their own modification time when earlier.
SELECT count(*) FROM ingest_files
WHERE least(received_at, coalesce(file_modified_at, received_at)) >= $1

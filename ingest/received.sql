-- How many files ingest has received, by status.
SELECT status, count(*) AS n FROM ingest_files GROUP BY status ORDER BY status

-- The job runs up to the snapshot's publication, newest first.
SELECT job, scheduled_at, started_at, finished_at, status, coalesce(error, '') AS error,
       coalesce(rows_affected, 0) AS rows_affected, catch_up
FROM job_runs
ORDER BY started_at DESC, run_id DESC
LIMIT 200

-- A run begins: its row, running, naming this machine and process; the run's
-- id comes back.
INSERT INTO job_runs (run_id, job, scheduled_at, started_at, status, catch_up, host, pid, process_started)
VALUES (nextval('job_run_ids'), ?, ?, ?, 'running', ?, ?, ?, ?)
RETURNING run_id

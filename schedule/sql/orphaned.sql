-- The runs a process that is gone left running are failed, saying so.
UPDATE job_runs SET status = 'failed', error = ?
WHERE status = 'running' AND host = ? AND pid = ? AND process_started = ?

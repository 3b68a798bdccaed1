-- The processes of this machine, other than this one, with runs still running.
SELECT DISTINCT pid, process_started FROM job_runs
WHERE status = 'running' AND host = ? AND NOT (pid = ? AND process_started = ?)

-- Which process ran a job. A run is recorded as running before it starts and
-- completed when it ends; a process killed in between (a power cut at the ward
-- office, a kill -9) left it "running" for ever. With the machine, the process
-- id and when that process started (a container's new process may get the
-- same id as the one killed), the next run on the same machine finds such
-- runs whose process is gone and closes them as failed, saying so.
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS process_started TIMESTAMPTZ;

COMMENT ON COLUMN job_runs.host IS 'The name of the machine whose process ran it; NULL for runs recorded before hoctap kept it.';
COMMENT ON COLUMN job_runs.pid IS 'The id of the process that ran it, on host.';
COMMENT ON COLUMN job_runs.process_started IS 'When the process that ran it started: with host and pid, which process it was.';

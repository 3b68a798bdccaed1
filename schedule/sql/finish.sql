-- A run ends: ok or failed, its error, the rows it reports, when.
UPDATE job_runs SET finished_at = ?, status = ?, error = ?, rows_affected = ? WHERE run_id = ?

-- The last transform: when it started, and how many models and data tests it
-- ran, with the first status in order (error before ok) of each kind, and
-- whether it was a full or an incremental run ('' when not recorded).
SELECT kind, max(started_at) AS at, min(status) AS status, count(*) AS n, coalesce(max(run_kind), '') AS run_kind
FROM model_runs
WHERE started_at = (SELECT max(started_at) FROM model_runs)
GROUP BY kind
ORDER BY kind

-- The last transform: when it started, and how many models and data tests it
-- ran, with the first status in order (error before ok) of each kind.
SELECT kind, max(started_at) AS at, min(status) AS status, count(*) AS n
FROM model_runs
WHERE started_at = (SELECT max(started_at) FROM model_runs)
GROUP BY kind
ORDER BY kind

-- The standing of person $1 at the end of each month up to $2.
SELECT s.month, s.status, coalesce(s.round, '') AS round, coalesce(CAST(s.total AS VARCHAR), '') AS total
FROM citizen_status_monthly s
WHERE s.citizen_id = $1 AND s.month <= $2
ORDER BY s.month

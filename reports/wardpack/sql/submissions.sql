-- A ward's ($2) submissions due in the month ($1), as the month's standing
-- has them: received on time or late (when), refused (only refused files so
-- far), or missing; by due day.
SELECT s.dataset, coalesce(s.round, '') AS round, coalesce(s.period, '') AS period, s.due,
       s.first_accepted_at, s.status
FROM submission_status_monthly s
WHERE s.month = $1 AND s.ward = $2 AND strftime(s.due, '%Y-%m') = $1
ORDER BY s.due, s.dataset, s.round, s.period

-- A ward's ($1) submissions due after the day $2 up to the day $3: what it
-- sends before the next report's reporting deadline, but for those the data
-- already holds an accepted file for (the latest month's standing).
SELECT c.dataset, coalesce(c.round, '') AS round, coalesce(c.period, '') AS period, c.due
FROM cfg_submissions c
WHERE c.ward = $1 AND c.due > $2::DATE AND c.due <= $3::DATE
  AND NOT EXISTS (SELECT 1 FROM submission_status_monthly s
                  WHERE s.month = (SELECT max(month) FROM submission_status_monthly)
                    AND s.ward = c.ward AND s.dataset = c.dataset AND s.due = c.due
                    AND coalesce(s.round, '') = coalesce(c.round, '') AND coalesce(s.period, '') = coalesce(c.period, '')
                    AND s.status IN ('on_time', 'late'))
ORDER BY c.due, c.dataset, c.round, c.period

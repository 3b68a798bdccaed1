-- A ward's ($1) submissions due after the day $2 up to the day $3: what it
-- sends before the next report's reporting deadline.
SELECT dataset, coalesce(round, '') AS round, coalesce(period, '') AS period, due
FROM cfg_submissions
WHERE ward = $1 AND due > $2::DATE AND due <= $3::DATE
ORDER BY due, dataset, round, period

-- The submissions of ward $2 due in or before month $1 as they stood at its
-- end (submission_status_monthly), latest due first.
SELECT s.dataset, coalesce(s.round, '') AS round, coalesce(s.period, '') AS period, s.due, s.status,
       s.first_accepted_at, s.files, s.refused_files
FROM submission_status_monthly s
WHERE s.month = $1 AND s.ward = $2
ORDER BY s.due DESC, s.dataset

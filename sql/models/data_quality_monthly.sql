-- Data completeness and timeliness per ward and month: the submissions due in
-- the month and where they stood at its end, the files refused that month with
-- their problems, and the activities reported for the month.
-- columns:
--   month: YYYY-MM
--   ward: ward code
--   expected: submissions due in the month
--   on_time: of them, accepted by their due day
--   late: accepted after their due day, by the month's end
--   missing: not accepted by the month's end (refused ones included)
--   overdue_earlier: submissions due in earlier months still not accepted at the month's end
--   files_received: files the ward sent in the month
--   files_refused: of them, refused
--   problems: problems listed in the refused files' receipts
--   activities: activities reported for the month
WITH due_now AS (
    SELECT month, ward,
           count(*) FILTER (WHERE strftime(due, '%Y-%m') = month) AS expected,
           count(*) FILTER (WHERE strftime(due, '%Y-%m') = month AND status = 'on_time') AS on_time,
           count(*) FILTER (WHERE strftime(due, '%Y-%m') = month AND status = 'late') AS late,
           count(*) FILTER (WHERE strftime(due, '%Y-%m') = month AND status IN ('missing', 'refused')) AS missing,
           count(*) FILTER (WHERE strftime(due, '%Y-%m') < month AND status IN ('missing', 'refused')) AS overdue_earlier
    FROM submission_status_monthly
    GROUP BY month, ward
),
sent AS (
    SELECT strftime(CAST(coalesce(file_modified_at, received_at) AS TIMESTAMP), '%Y-%m') AS month, ward,
           count(*) AS files_received,
           count(*) FILTER (WHERE status = 'refused') AS files_refused,
           coalesce(sum(problems) FILTER (WHERE status = 'refused'), 0) AS problems
    FROM ingest_files
    GROUP BY ALL
)
SELECT a.month, a.ward,
       coalesce(d.expected, 0) AS expected, coalesce(d.on_time, 0) AS on_time, coalesce(d.late, 0) AS late,
       coalesce(d.missing, 0) AS missing, coalesce(d.overdue_earlier, 0) AS overdue_earlier,
       coalesce(s.files_received, 0) AS files_received, coalesce(s.files_refused, 0) AS files_refused,
       CAST(coalesce(s.problems, 0) AS BIGINT) AS problems,
       a.activities
FROM activities_monthly a
LEFT JOIN due_now d ON d.month = a.month AND d.ward = a.ward
LEFT JOIN sent s ON s.month = a.month AND s.ward = a.ward

-- The submissions of the month's standing ($1) due by the day $2 that no
-- accepted file answers yet (status missing or refused), in the wards' order,
-- each with the refused files counted for it: one row per such file, or one
-- row with no file. A refused file counts for the first submission of its
-- ward and dataset due on or after the day it was sent, as in
-- submission_status_monthly. What the home page lists and a ward's reminder says.
WITH due AS (
    SELECT s.ward, s.dataset, coalesce(s.round, '') AS round, coalesce(s.period, '') AS period, s.due, s.status
    FROM submission_status_monthly s
    WHERE s.month = $1 AND s.status IN ('missing', 'refused') AND s.due <= $2::DATE
),
refused AS (
    SELECT f.file_id, f.ward, d.dataset, f.original_name, f.problems, coalesce(f.receipt_path, '') AS receipt_path,
           CAST(coalesce(f.file_modified_at, f.received_at) AS DATE) AS sent_on
    FROM ingest_files f, unnest(string_split(f.dataset, '+')) AS d(dataset)
    WHERE f.status = 'refused' AND f.dataset IS NOT NULL
),
counted AS (
    SELECT r.*,
           (SELECT min(e.due) FROM cfg_submissions e
            WHERE e.ward = r.ward AND e.dataset = r.dataset AND e.due >= r.sent_on) AS counts_for
    FROM refused r
)
SELECT d.ward, d.dataset, d.round, d.period, d.due, d.status,
       coalesce(c.file_id, 0) AS file_id, coalesce(c.original_name, '') AS file_name,
       c.sent_on, coalesce(c.problems, 0) AS problems, coalesce(c.receipt_path, '') AS receipt_path
FROM due d
JOIN cfg_wards w USING (ward)
LEFT JOIN counted c ON d.status = 'refused' AND c.ward = d.ward AND c.dataset = d.dataset AND c.counts_for = d.due
ORDER BY w.ordinal, d.due, d.dataset, c.sent_on, c.original_name

-- Every expected submission (cfg_submissions) due by the end of each month, and
-- where it stood then: on_time (accepted by its due day), late (accepted after
-- its due day but by the month's end), refused (only refused files so far) or
-- missing. A file is matched to an expectation by ward, dataset and period: the
-- data's month for monthly datasets, the round for surveys, else the first due
-- date on or after the file's own month. A file's submission time is its
-- modification time when known, else when it was received.
-- columns:
--   month: YYYY-MM, the month the standing is taken at
--   ward: ward code
--   dataset: units, citizens, citizen_assessments, unit_assessments or activities
--   round: survey round, for citizen_assessments
--   period: the data's month, for monthly datasets
--   due: the day it is due
--   first_accepted_at: when the first accepted file came, if by the month's end
--   files: files received by the month's end
--   refused_files: of them, refused
--   status: on_time, late, refused or missing
WITH exp AS (
    SELECT s.*,
           CASE WHEN s.monthly THEN 'period' WHEN s.round IS NOT NULL THEN 'round' ELSE 'window' END AS match_kind,
           lag(s.due) OVER (PARTITION BY s.ward, s.dataset, s.monthly, s.round IS NOT NULL ORDER BY s.due) AS prev_due
    FROM cfg_submissions s
),
accepted AS (
    SELECT t.file_id, t.ward, t.dataset, t.period,
           CAST(coalesce(f.file_modified_at, f.received_at) AS TIMESTAMP) AS submitted_at
    FROM ingest_file_tables t
    JOIN ingest_files f ON f.file_id = t.file_id
),
refused AS (
    SELECT f.file_id, f.ward, d.dataset,
           CAST(coalesce(f.file_modified_at, f.received_at) AS TIMESTAMP) AS submitted_at
    FROM ingest_files f, unnest(string_split(f.dataset, '+')) AS d(dataset)
    WHERE f.status = 'refused' AND f.dataset IS NOT NULL
),
matched AS (
    SELECT e.ward, e.dataset, e.due, a.file_id, 'accepted' AS status, a.submitted_at
    FROM exp e
    JOIN accepted a ON a.ward = e.ward AND a.dataset = e.dataset AND (
           (e.match_kind = 'period' AND a.period = e.period)
        OR (e.match_kind = 'round' AND a.period = e.round)
        OR (e.match_kind = 'window' AND a.period <= strftime(e.due, '%Y-%m')
            AND (e.prev_due IS NULL OR a.period > strftime(e.prev_due, '%Y-%m'))))
    UNION ALL
    -- a refused file counts for the first expectation of its ward and dataset due on or after the day it came
    SELECT r.ward, r.dataset,
           (SELECT min(e.due) FROM exp e WHERE e.ward = r.ward AND e.dataset = r.dataset AND e.due >= CAST(r.submitted_at AS DATE)),
           r.file_id, 'refused', r.submitted_at
    FROM refused r
),
grid AS (
    SELECT m.month, m.month_end, e.ward, e.dataset, e.round, CASE WHEN e.monthly THEN e.period END AS period, e.due
    FROM cfg_months m
    JOIN exp e ON e.due <= m.month_end
),
standing AS (
    SELECT g.month, g.ward, g.dataset, g.round, g.period, g.due,
           min(x.submitted_at) FILTER (WHERE x.status = 'accepted') AS first_accepted_at,
           count(DISTINCT x.file_id) AS files,
           count(DISTINCT x.file_id) FILTER (WHERE x.status = 'refused') AS refused_files
    FROM grid g
    LEFT JOIN matched x ON x.ward = g.ward AND x.dataset = g.dataset AND x.due = g.due
        AND CAST(x.submitted_at AS DATE) <= g.month_end
    GROUP BY g.month, g.ward, g.dataset, g.round, g.period, g.due
)
SELECT *,
       CASE WHEN first_accepted_at IS NOT NULL AND CAST(first_accepted_at AS DATE) <= due THEN 'on_time'
            WHEN first_accepted_at IS NOT NULL THEN 'late'
            WHEN refused_files > 0 THEN 'refused'
            ELSE 'missing' END AS status
FROM standing

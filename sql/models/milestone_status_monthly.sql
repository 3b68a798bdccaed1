-- The pilot's milestones at the end of each month: whether the condition that
-- completes each one holds on the data by then (cfg_milestones.condition), and
-- its status: done, late (due by the month's end and not done), due (due in
-- the next month) or upcoming.
-- columns:
--   month: YYYY-MM
--   milestone: cfg_milestones.milestone
--   phase: its phase
--   due: the day it is due
--   holds: the condition holds at the month's end
--   done_month: the first month the condition held, if ever
--   done_late: it was done after its due month
--   status: done, late, due or upcoming
WITH m AS (SELECT month, month_start, month_end FROM cfg_months),
registered AS (
    -- people registered by each month's end, from the count per registration day
    SELECT m.month, CAST(coalesce(sum(d.n), 0) AS BIGINT) AS n
    FROM m LEFT JOIN (SELECT registered_on, count(citizen_id) AS n FROM citizens GROUP BY registered_on) d
        ON d.registered_on <= m.month_end
    GROUP BY m.month
),
round_missing AS (
    -- registered people without an assessment of each round by the month's end:
    -- counted as the registered less the assessed, not person by person, from
    -- the count per round and day
    SELECT m.month, r.round, rg.n - CAST(coalesce(sum(f.n), 0) AS BIGINT) AS missing
    FROM m
    CROSS JOIN cfg_rounds r
    JOIN registered rg ON rg.month = m.month
    LEFT JOIN (SELECT round, since, count(since) AS n FROM citizen_rounds GROUP BY round, since) f
        ON f.round = r.round AND f.since <= m.month_end
    GROUP BY m.month, r.round, rg.n
),
units_month AS (
    SELECT month, count(*) AS units,
           count(*) FILTER (WHERE NOT in_round) AS unassessed
    FROM unit_status_monthly GROUP BY month
),
units_registered AS (
    SELECT m.month, count(u.unit_code) AS n
    FROM m LEFT JOIN units u ON u.registered AND u.registered_on <= m.month_end
    GROUP BY m.month
),
recognised AS (
    SELECT month, value FROM metrics_monthly WHERE metric = 'citizens_recognised_share' AND denominator = 'registered'
),
checks AS (
    SELECT m.month, ms.milestone, ms.phase, ms.due, ms.ordinal,
           CASE ms.condition
               WHEN 'all_registrants_assessed' THEN
                   (SELECT rg.n FROM registered rg WHERE rg.month = m.month) > 0
                   AND (SELECT rm.missing FROM round_missing rm WHERE rm.month = m.month AND rm.round = ms.round) = 0
               WHEN 'all_units_assessed' THEN
                   coalesce((SELECT um.units > 0 AND um.unassessed = 0 FROM units_month um WHERE um.month = m.month), false)
               WHEN 'activity_held' THEN
                   EXISTS (SELECT 1 FROM activities a
                           WHERE a.activity_date <= m.month_end
                             AND (strip_accents(lower(a.kind)) LIKE '%' || strip_accents(lower(ms.activity)) || '%'
                               OR strip_accents(lower(a.title)) LIKE '%' || strip_accents(lower(ms.activity)) || '%'))
               WHEN 'citizens_registered' THEN
                   (SELECT rg.n FROM registered rg WHERE rg.month = m.month) >= ms.count
               WHEN 'units_registered' THEN
                   (SELECT ur.n FROM units_registered ur WHERE ur.month = m.month) >= ms.count
               WHEN 'citizens_recognised_share' THEN
                   coalesce((SELECT rc.value FROM recognised rc WHERE rc.month = m.month), 0) >= ms.share - 1e-9
           END AS holds
    FROM m CROSS JOIN cfg_milestones ms
),
firsts AS (
    SELECT c.*, min(CASE WHEN holds THEN month END) OVER (PARTITION BY milestone) AS done_month
    FROM checks c
)
SELECT f.month, f.milestone, f.phase, f.due, coalesce(f.holds, false) AS holds, f.done_month,
       f.done_month IS NOT NULL AND f.done_month > strftime(f.due, '%Y-%m') AS done_late,
       CASE WHEN f.done_month IS NOT NULL AND f.done_month <= f.month THEN 'done'
            WHEN f.due <= m.month_end THEN 'late'
            WHEN f.due <= last_day(m.month_end + INTERVAL 1 DAY) THEN 'due'
            ELSE 'upcoming' END AS status
FROM firsts f
JOIN m ON m.month = f.month

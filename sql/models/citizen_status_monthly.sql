-- Each registered person's standing at the end of each month of the programme:
-- the latest complete assessment dated on or before the month's last day counts.
-- recognised: it meets the title; not_yet: it does not; not_assessed: none yet.
-- A person appears from the month of their registration on.
-- columns:
--   month: YYYY-MM
--   citizen_id: the person
--   ward: ward code
--   group_id: target group
--   unit_code: workplace unit, if any
--   status: recognised, not_yet or not_assessed
--   assessment_id: the assessment that counts
--   round: its round
--   assessed_on: its day
--   total: its total
--   min_score: its lowest indicator score
--   first_recognised_month: the first month the person was recognised, if ever
WITH reg AS (
    SELECT m.month, m.month_end, c.citizen_id, c.ward, c.group_id, c.unit_code
    FROM citizens c
    JOIN cfg_months m ON c.registered_on <= m.month_end
),
scored AS (
    SELECT * FROM citizen_scores WHERE complete
),
latest AS (
    SELECT r.*, s.assessment_id, s.round, s.assessed_on, s.total, s.min_score, s.meets_title
    FROM reg r
    ASOF LEFT JOIN scored s ON s.citizen_id = r.citizen_id AND s.assessed_on <= r.month_end
),
-- The first month recognised, by an aggregate joined back: a window over
-- every person's months sorts them all.
first AS (
    SELECT citizen_id, min(month) AS first_recognised_month
    FROM latest WHERE meets_title
    GROUP BY citizen_id
)
SELECT l.month, l.citizen_id, l.ward, l.group_id, l.unit_code,
       CASE WHEN l.assessment_id IS NULL THEN 'not_assessed'
            WHEN l.meets_title THEN 'recognised'
            ELSE 'not_yet' END AS status,
       l.assessment_id, l.round, l.assessed_on, l.total, l.min_score,
       f.first_recognised_month
FROM latest l LEFT JOIN first f USING (citizen_id)

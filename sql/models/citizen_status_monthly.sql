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

-- How: each complete assessment counts from its month (or the month of
-- registration, if later) until the month before the person's next assessment
-- takes over, so the months are spans found once per assessment (a window over
-- the assessments, not a search per person and month), spread over the months
-- at the end; a person's months before any assessment are one more span.
-- Months are numbered from 1, the programme's first month (cfg_months.ordinal).
WITH span AS (
    SELECT min(month_start) AS first_start, count(*) AS n FROM cfg_months
),
reg AS (
    SELECT c.citizen_id, c.ward, c.group_id, c.unit_code,
           greatest(1, datediff('month', sp.first_start, c.registered_on) + 1) AS reg_k, sp.n
    FROM citizens c CROSS JOIN span sp
    WHERE datediff('month', sp.first_start, c.registered_on) + 1 <= sp.n
),
scored AS (
    SELECT s.citizen_id, s.assessment_id, s.round, s.assessed_on, s.total, s.min_score, s.meets_title,
           greatest(1, datediff('month', sp.first_start, s.assessed_on) + 1) AS k,
           lead(greatest(1, datediff('month', sp.first_start, s.assessed_on) + 1))
               OVER (PARTITION BY s.citizen_id ORDER BY s.assessed_on, s.round_ordinal) AS next_k
    FROM citizen_scores s CROSS JOIN span sp
    WHERE s.complete AND datediff('month', sp.first_start, s.assessed_on) + 1 <= sp.n
),
runs AS (
    SELECT r.citizen_id, r.ward, r.group_id, r.unit_code,
           s.assessment_id, s.round, s.assessed_on, s.total, s.min_score, s.meets_title,
           greatest(s.k, r.reg_k) AS from_k, coalesce(s.next_k - 1, r.n) AS to_k
    FROM reg r JOIN scored s USING (citizen_id)
    WHERE greatest(s.k, r.reg_k) <= coalesce(s.next_k - 1, r.n)
),
person AS (
    SELECT citizen_id, min(from_k) AS assessed_k, min(from_k) FILTER (WHERE meets_title) AS first_k
    FROM runs GROUP BY citizen_id
),
segments AS (
    SELECT r.*, p.first_k FROM runs r JOIN person p USING (citizen_id)
    UNION ALL
    SELECT r.citizen_id, r.ward, r.group_id, r.unit_code, NULL, NULL, NULL, NULL, NULL, NULL,
           r.reg_k, coalesce(p.assessed_k - 1, r.n), p.first_k
    FROM reg r LEFT JOIN person p USING (citizen_id)
    WHERE r.reg_k <= coalesce(p.assessed_k - 1, r.n)
)
SELECT m.month, f.citizen_id, f.ward, f.group_id, f.unit_code,
       CASE WHEN f.assessment_id IS NULL THEN 'not_assessed'
            WHEN f.meets_title THEN 'recognised'
            ELSE 'not_yet' END AS status,
       f.assessment_id, f.round, f.assessed_on, f.total, f.min_score,
       fm.month AS first_recognised_month
FROM segments f
CROSS JOIN unnest(range(f.from_k, f.to_k + 1)) AS u(k)
JOIN cfg_months m ON m.ordinal = u.k
LEFT JOIN cfg_months fm ON fm.ordinal = f.first_k

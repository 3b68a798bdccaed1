-- Each household assessed for "Gia đình học tập" at the end of each month
-- from its first assessment on: its latest assessment on or before the
-- month's last day and whether that makes it eligible (đủ điều kiện), and
-- whether a decision dated by then names it with the family title (đã công
-- nhận). Eligible is not recognised: a household without a decision is not
-- counted as recognised, however high its points.
-- columns:
--   month: YYYY-MM
--   household_code: the household
--   ward: ward code (of its latest assessment by then)
--   hamlet: ấp, khóm or tổ dân phố
--   assessed_on: the assessment that counts
--   version: the version of the criteria it was judged by
--   total: its total
--   eligible: it makes the household eligible
--   recognised: a decision dated by the month's end names the household with the family title
--   decision_number: that decision, the first one
WITH grid AS (
    SELECT m.month, m.month_end, h.household_code
    FROM (SELECT household_code, min(assessed_on) AS first_on FROM family_assessments GROUP BY household_code) h
    JOIN cfg_months m ON m.month_end >= h.first_on
),
latest AS (
    SELECT g.month, g.month_end, g.household_code, a.ward, a.hamlet, a.assessed_on, a.version, a.total, a.eligible
    FROM grid g
    ASOF JOIN family_assessments a ON a.household_code = g.household_code AND a.assessed_on <= g.month_end
),
decided AS (
    SELECT household_code, min(decided_on) AS decided_on, arg_min(decision_number, decided_on) AS decision_number
    FROM decisions WHERE title = 'family' AND household_code IS NOT NULL
    GROUP BY household_code
)
SELECT l.month, l.household_code, l.ward, l.hamlet, l.assessed_on, l.version, l.total, l.eligible,
       coalesce(d.decided_on <= l.month_end, false) AS recognised,
       CASE WHEN d.decided_on <= l.month_end THEN d.decision_number END AS decision_number
FROM latest l
LEFT JOIN decided d ON d.household_code = l.household_code

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
--   decision_number: that decision, the first one (of two signed the same day, the lower number)
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
    -- each household's first decision: the earliest; of two signed the same
    -- day, the lower number (as in citizen_status_monthly)
    SELECT household_code, decided_on, decision_number
    FROM decisions WHERE title = 'family' AND household_code IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY household_code
                               ORDER BY decided_on, try_cast(regexp_extract(decision_number, '^[0-9]+') AS BIGINT) NULLS LAST, decision_number) = 1
)
SELECT l.month, l.household_code, l.ward, l.hamlet, l.assessed_on, l.version, l.total, l.eligible,
       coalesce(d.decided_on <= l.month_end, false) AS recognised,
       CASE WHEN d.decided_on <= l.month_end THEN d.decision_number END AS decision_number
FROM latest l
LEFT JOIN decided d ON d.household_code = l.household_code

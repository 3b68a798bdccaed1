-- A household counts as recognised (Gia đình học tập) only through a decision
-- that names it, dated by the month's end; eligible is its assessment alone.
SELECT s.month, s.household_code, s.recognised, s.decision_number
FROM family_status_monthly s
JOIN cfg_months m USING (month)
LEFT JOIN (SELECT household_code, min(decided_on) AS decided_on FROM decisions WHERE title = 'family' GROUP BY household_code) d
  ON d.household_code = s.household_code
WHERE s.recognised <> coalesce(d.decided_on <= m.month_end, false)
   OR (s.recognised AND s.decision_number IS NULL)

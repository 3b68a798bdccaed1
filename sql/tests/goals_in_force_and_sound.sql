-- A goal is a target only from the month its source document was issued
-- (before, its status is 'reference'); a rate's projection stays within 0–100%;
-- a projection needs three months of actual values.
WITH counted AS (
    SELECT p.*, g.source_date, m.month_end,
           count(p.actual) OVER (PARTITION BY p.goal_id ORDER BY p.month ROWS UNBOUNDED PRECEDING) AS points
    FROM goal_progress p
    JOIN cfg_goals g USING (goal_id)
    JOIN cfg_months m USING (month)
)
SELECT goal_id, month, status, projected, points
FROM counted
WHERE (source_date > month_end) <> (status = 'reference')
   OR (denominator IS NOT NULL AND (projected < 0 OR projected > 1))
   OR (projected IS NOT NULL AND points < 3)

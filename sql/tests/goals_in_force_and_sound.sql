-- A goal is a target only from the month its source document was issued
-- (before, its status is 'reference'); a rate's projection stays within 0–100%;
-- a projection needs three months of actual values; the status never
-- contradicts the actual or the projection (achieved exactly when the actual
-- reaches the target; never on track with a projection short of the target,
-- nor behind with one that reaches it).
WITH counted AS (
    SELECT p.*, g.source_date, m.month_end,
           count(p.actual) OVER (PARTITION BY p.goal_id ORDER BY p.month ROWS UNBOUNDED PRECEDING) AS points
    FROM goal_progress p
    JOIN cfg_goals g USING (goal_id)
    JOIN cfg_months m USING (month)
)
SELECT goal_id, month, status, actual, target, projected, points
FROM counted
WHERE (source_date > month_end) <> (status = 'reference')
   OR (denominator IS NOT NULL AND (projected < 0 OR projected > 1))
   OR (projected IS NOT NULL AND points < 3)
   OR (status <> 'reference' AND actual IS NOT NULL AND (status = 'achieved') <> (actual >= target - 1e-9))
   OR (status = 'on_track' AND projected < target - 1e-9)
   OR (status = 'behind' AND projected >= target - 1e-9)

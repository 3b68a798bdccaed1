-- The milestones at the month's end ($1).
SELECT m.milestone, c.name, coalesce(nullif(c.name_en, ''), c.name) AS name_en, m.phase, m.due,
       m.status, coalesce(m.done_month, '') AS done_month, m.holds
FROM milestone_status_monthly m JOIN cfg_milestones c USING (milestone)
WHERE m.month = $1
ORDER BY c.ordinal

-- The milestones at the month's end ($1): the month each was done only when
-- it was done by then (a report says nothing of later months).
SELECT m.milestone, c.name, coalesce(nullif(c.name_en, ''), c.name) AS name_en, m.phase, m.due,
       m.status, CASE WHEN m.done_month <= $1 THEN m.done_month ELSE '' END AS done_month, m.holds
FROM milestone_status_monthly m JOIN cfg_milestones c USING (milestone)
WHERE m.month = $1
ORDER BY c.ordinal

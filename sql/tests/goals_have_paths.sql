-- Every goal has a path value for every month of the programme.
SELECT g.goal_id, m.month
FROM cfg_goals g CROSS JOIN cfg_months m
LEFT JOIN goal_progress p ON p.goal_id = g.goal_id AND p.month = m.month
WHERE p.path_value IS NULL

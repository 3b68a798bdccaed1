-- Each goal over the programme's months: its path throughout, and its actual
-- value, projection, gap and status up to the report's month ($1) only.
SELECT month, goal_id,
       CASE WHEN month <= $1 THEN actual END::DOUBLE AS actual,
       path_value::DOUBLE AS path_value,
       CASE WHEN month <= $1 THEN projected END::DOUBLE AS projected,
       CASE WHEN month <= $1 THEN gap END::DOUBLE AS gap,
       CASE WHEN month <= $1 THEN status ELSE '' END AS status
FROM goal_progress
ORDER BY goal_id, month

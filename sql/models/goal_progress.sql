-- Each goal at the end of each month of the programme: whether it is in force
-- (its source document issued by the month's end: before, it is at most a
-- reference and has no status), its actual value, the value its path asks for
-- by then, a projection to the deadline and a status. The path runs from
-- baseline in the programme's first month to target at the deadline, linearly
-- or through the given points, and stays at target after the deadline.
-- The projection continues the trend of the last trend_months months, only
-- from at least three months of actual values, and stays within 0–100% for
-- rates; otherwise there is none. Status, which never contradicts the
-- projection: achieved when the actual reaches the target; on_track when it
-- reaches the path and no projection falls short of the target; behind when
-- it is below the path by more than at_risk_margin of the path's value and no
-- projection reaches the target; at_risk otherwise (close below the path, or
-- on the path with a projection short of the target, or behind the path with
-- a projection that reaches it); no_data when there is no value.
-- columns:
--   month: YYYY-MM
--   goal_id: cfg_goals.goal_id
--   in_force: the goal's source document was issued by the month's end
--   metric: the metric it tracks
--   denominator: what the rate is of
--   actual: the metric's value
--   path_value: what the path asks for at this month
--   target: the value to reach by the deadline
--   deadline: YYYY-MM
--   months_to_deadline: months from this month to the deadline
--   projected: the value projected at the deadline from the recent trend; NULL with fewer than three months of actual values
--   gap: actual − path_value
--   status: achieved, on_track, at_risk, behind or no_data; reference before the goal is in force
WITH start AS (SELECT min(month_start) AS start_month FROM cfg_months),
anchors AS (
    SELECT g.goal_id, 0 AS k, g.baseline AS v FROM cfg_goals g
    UNION ALL
    SELECT p.goal_id, datediff('month', s.start_month, strptime(p.month, '%Y-%m')::DATE), p.value
    FROM cfg_goal_points p CROSS JOIN start s
    UNION ALL
    SELECT g.goal_id, datediff('month', s.start_month, strptime(g.deadline, '%Y-%m')::DATE), g.target
    FROM cfg_goals g CROSS JOIN start s
),
grid AS (
    SELECT g.goal_id, g.metric, g.denominator, g.target, g.deadline, g.at_risk_margin, g.trend_months,
           g.source_date IS NULL OR g.source_date <= m.month_end AS in_force,
           m.month, datediff('month', s.start_month, m.month_start) AS k,
           datediff('month', s.start_month, strptime(g.deadline, '%Y-%m')::DATE) AS k_deadline
    FROM cfg_goals g CROSS JOIN cfg_months m CROSS JOIN start s
),
pathed AS (
    SELECT gr.*,
           (SELECT max(a.k) FROM anchors a WHERE a.goal_id = gr.goal_id AND a.k <= gr.k) AS k0,
           (SELECT min(a.k) FROM anchors a WHERE a.goal_id = gr.goal_id AND a.k >= gr.k) AS k1
    FROM grid gr
),
path AS (
    SELECT p.*,
           (SELECT max(a.v) FROM anchors a WHERE a.goal_id = p.goal_id AND a.k = p.k0) AS v0,
           (SELECT max(a.v) FROM anchors a WHERE a.goal_id = p.goal_id AND a.k = p.k1) AS v1
    FROM pathed p
),
valued AS (
    SELECT p.*,
           CASE WHEN p.k1 IS NULL THEN p.target          -- past the deadline
                WHEN p.k1 = p.k0 THEN p.v0
                ELSE p.v0 + (p.v1 - p.v0) * (p.k - p.k0) / (p.k1 - p.k0) END AS path_value,
           mm.value AS actual
    FROM path p
    LEFT JOIN metrics_monthly mm
        ON mm.month = p.month AND mm.metric = p.metric AND mm.denominator IS NOT DISTINCT FROM p.denominator
),
trended AS (
    SELECT v.*, least(v.trend_months, v.k) AS span, earlier.actual AS actual_then,
           (SELECT count(*) FROM valued x WHERE x.goal_id = v.goal_id AND x.k <= v.k AND x.actual IS NOT NULL) AS points
    FROM valued v
    LEFT JOIN valued earlier
        ON earlier.goal_id = v.goal_id AND earlier.k = v.k - least(v.trend_months, v.k)
),
projected AS (
    SELECT t.*,
           CASE WHEN actual IS NULL OR points < 3 OR actual_then IS NULL OR span < 2 THEN NULL
                WHEN k >= k_deadline THEN actual
                ELSE actual + (actual - actual_then) / span * (k_deadline - k)
           END AS raw_projection
    FROM trended t
)
SELECT month, goal_id, in_force, metric, denominator, actual, path_value, target, deadline,
       k_deadline - k AS months_to_deadline,
       projected,
       actual - path_value AS gap,
       CASE WHEN NOT in_force THEN 'reference'
            WHEN actual IS NULL THEN 'no_data'
            WHEN actual >= target - 1e-9 THEN 'achieved'
            WHEN actual >= path_value - 1e-9 AND (projected IS NULL OR projected >= target - 1e-9) THEN 'on_track'
            WHEN actual < path_value * (1 - at_risk_margin) - 1e-9 AND (projected IS NULL OR projected < target - 1e-9) THEN 'behind'
            ELSE 'at_risk' END AS status
FROM (
    SELECT p.*,
           -- (DuckDB's greatest and least pass over a NULL: test it first)
           CASE WHEN raw_projection IS NULL THEN NULL
                WHEN denominator IS NULL THEN greatest(0, raw_projection)
                ELSE greatest(0, least(1, raw_projection)) END AS projected
    FROM projected p
) clamped

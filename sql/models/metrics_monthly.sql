-- The city's value of every metric a goal may name (cfg_metrics), at the end of
-- each month: the numerator, the denominator it is a rate of, and the value.
-- columns:
--   month: YYYY-MM
--   metric: cfg_metrics.metric
--   denominator: registered, population, members, units or title_holders; NULL for a count
--   numerator: what is counted
--   denominator_value: what it is divided by
--   value: numerator / denominator_value (a share 0–1), or the count
WITH status AS (
    SELECT month,
           count(*) AS registered,
           count(*) FILTER (WHERE recognised) AS recognised,
           count(*) FILTER (WHERE status = 'eligible') AS eligible
    FROM citizen_status_monthly GROUP BY month
),
base AS (
    SELECT m.month, m.month_end, coalesce(s.registered, 0) AS registered, coalesce(s.recognised, 0) AS recognised,
           coalesce(s.eligible, 0) AS eligible
    FROM cfg_months m LEFT JOIN status s ON s.month = m.month
),
rounds AS (
    SELECT (SELECT round FROM cfg_rounds ORDER BY ordinal LIMIT 1) AS first_round,
           (SELECT round FROM cfg_rounds ORDER BY ordinal DESC LIMIT 1) AS last_round
),
-- the registered people surveyed in the first and the last round by each
-- month's end (citizen_rounds: registered and assessed in the round by then),
-- from the count per round and day
surveyed_since AS (
    SELECT c.round, c.since, count(*) AS n
    FROM citizen_rounds c CROSS JOIN rounds r
    WHERE c.round IN (r.first_round, r.last_round)
    GROUP BY c.round, c.since
),
surveyed AS (
    SELECT b.month,
           CAST(coalesce(sum(s.n) FILTER (WHERE s.round = r.first_round), 0) AS BIGINT) AS first_round,
           CAST(coalesce(sum(s.n) FILTER (WHERE s.round = r.last_round), 0) AS BIGINT) AS last_round
    FROM base b
    CROSS JOIN rounds r
    JOIN surveyed_since s ON s.since <= b.month_end
    GROUP BY b.month
),
unit_month AS (
    SELECT month, count(*) AS units,
           count(*) FILTER (WHERE in_round) AS assessed,
           count(*) FILTER (WHERE recognised) AS recognised,
           sum(members) AS members, sum(title_holders) AS holders
    FROM unit_status_monthly GROUP BY month
),
digital AS (
    SELECT s.month, count(*) AS holders,
           count(*) FILTER (WHERE a.scores[fw.digital_indicator] >= fw.digital_min) AS digital
    FROM citizen_status_monthly s
    JOIN assessments a ON a.assessment_id = s.assessment_id
    CROSS JOIN cfg_framework fw
    WHERE s.recognised
    GROUP BY s.month
),
adults AS (SELECT sum(population_adults) AS adults FROM cfg_wards),
rows AS (
    SELECT month, 'citizens_registered' AS metric, NULL AS denominator, registered AS numerator, NULL AS denominator_value FROM base
    UNION ALL
    SELECT month, 'citizens_recognised_share', 'registered', recognised, registered FROM base
    UNION ALL
    SELECT month, 'citizens_recognised_share', 'population', recognised, (SELECT adults FROM adults) FROM base
    UNION ALL
    SELECT month, 'citizens_eligible_share', 'registered', eligible, registered FROM base
    UNION ALL
    SELECT b.month, 'citizens_baseline_share', 'registered', coalesce(s.first_round, 0), b.registered FROM base b LEFT JOIN surveyed s USING (month)
    UNION ALL
    SELECT b.month, 'citizens_final_share', 'registered', coalesce(s.last_round, 0), b.registered FROM base b LEFT JOIN surveyed s USING (month)
    UNION ALL
    SELECT b.month, 'unit_members_recognised_share', 'members', coalesce(u.holders, 0), u.members FROM base b LEFT JOIN unit_month u USING (month)
    UNION ALL
    SELECT b.month, 'units_assessed_share', 'units', coalesce(u.assessed, 0), u.units FROM base b LEFT JOIN unit_month u USING (month)
    UNION ALL
    SELECT b.month, 'units_recognised_share', 'units', coalesce(u.recognised, 0), u.units FROM base b LEFT JOIN unit_month u USING (month)
    UNION ALL
    SELECT b.month, 'holders_digital_share', 'title_holders', coalesce(d.digital, 0), coalesce(d.holders, 0) FROM base b LEFT JOIN digital d USING (month)
)
SELECT month, metric, denominator,
       CAST(numerator AS BIGINT) AS numerator,
       CAST(denominator_value AS BIGINT) AS denominator_value,
       CASE WHEN denominator IS NULL THEN CAST(numerator AS DOUBLE)
            WHEN denominator_value > 0 THEN numerator / denominator_value
       END AS value
FROM rows

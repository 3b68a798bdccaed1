-- The sums behind indicator_stats_monthly: per month, target group and
-- indicator, over each registered person's assessment that counts at the
-- month's end, how many people have one, the exact total of their counted
-- scores and how many score below min_per_indicator. all_groups marks the
-- rows for all groups together (group_id NULL there).
-- columns:
--   month: YYYY-MM
--   all_groups: the row is for all target groups together
--   group_id: target group; NULL for all groups
--   indicator: indicator number
--   criterion: its criterion
--   people: people with an assessment that counts
--   score_total: the sum of their counted scores on the indicator, exact
--   below_min: people scoring below min_per_indicator on it

-- incremental sums by: month, all_groups, group_id, indicator, criterion (each row sums what each person's rows add)

-- How: the months in which an assessment is someone's latest form one run, so
-- each assessment is expanded into its indicators once (not once a month),
-- aggregated by the run of months, and only then spread over the months.
WITH spans AS (
    SELECT assessment_id, group_id, min(month) AS first_month, max(month) AS last_month
    FROM citizen_status_monthly
    WHERE assessment_id IS NOT NULL
    GROUP BY assessment_id, group_id
),
agg AS (
    SELECT s.group_id, s.first_month, s.last_month, i.indicator, i.criterion,
           count(*) AS people,
           sum(a.scores[i.indicator]) AS total,
           count(*) FILTER (WHERE a.scores[i.indicator] < fw.min_per_indicator) AS below
    FROM spans s
    JOIN assessments a ON a.assessment_id = s.assessment_id
    CROSS JOIN cfg_indicators i
    CROSS JOIN cfg_framework fw
    GROUP BY ALL
)
SELECT m.month, grouping(g.group_id) = 1 AS all_groups, g.group_id, g.indicator, g.criterion,
       CAST(sum(g.people) AS BIGINT) AS people,
       sum(g.total) AS score_total,
       CAST(sum(g.below) AS BIGINT) AS below_min
FROM agg g
JOIN cfg_months m ON m.month BETWEEN g.first_month AND g.last_month
GROUP BY GROUPING SETS ((m.month, g.group_id, g.indicator, g.criterion), (m.month, g.indicator, g.criterion))

-- What holds people back: per month, target group and indicator, the mean of
-- the counted scores and the share below min_per_indicator, over each
-- registered person's assessment that counts at the month's end. group_id is
-- NULL on the rows for all groups together.
-- columns:
--   month: YYYY-MM
--   group_id: target group; NULL for all groups
--   indicator: indicator number
--   criterion: its criterion
--   people: people with an assessment that counts
--   mean_score: mean counted score
--   below_min: people scoring below min_per_indicator on it
--   share_below_min: below_min / people

-- How: the months in which an assessment is someone's latest form one run, so
-- each assessment is expanded into its ten indicators once (not once a month),
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
SELECT m.month, g.group_id, g.indicator, any_value(g.criterion) AS criterion,
       sum(g.people) AS people,
       CAST(sum(g.total) / sum(g.people) AS DOUBLE) AS mean_score,
       sum(g.below) AS below_min,
       sum(g.below) / sum(g.people) AS share_below_min
FROM agg g
JOIN cfg_months m ON m.month BETWEEN g.first_month AND g.last_month
GROUP BY GROUPING SETS ((m.month, g.group_id, g.indicator), (m.month, g.indicator))

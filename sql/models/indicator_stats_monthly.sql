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
SELECT s.month, s.group_id, sc.indicator, any_value(sc.criterion) AS criterion,
       count(*) AS people,
       CAST(avg(sc.score) AS DOUBLE) AS mean_score,
       count(*) FILTER (WHERE sc.score < fw.min_per_indicator) AS below_min,
       count(*) FILTER (WHERE sc.score < fw.min_per_indicator) / count(*) AS share_below_min
FROM citizen_status_monthly s
JOIN assessment_scores sc ON sc.assessment_id = s.assessment_id
CROSS JOIN cfg_framework fw
GROUP BY GROUPING SETS ((s.month, s.group_id, sc.indicator), (s.month, sc.indicator))

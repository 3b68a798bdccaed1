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

-- How: from the exact sums of indicator_sums_monthly, which an incremental
-- run brings up to date by the changed people's shares alone.
SELECT month, group_id, indicator, criterion, people,
       CAST(score_total / people AS DOUBLE) AS mean_score,
       below_min,
       below_min / people AS share_below_min
FROM indicator_sums_monthly

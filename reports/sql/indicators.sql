-- Per target group (0: all groups) and indicator at the month's end ($1): the
-- mean counted score and the share below the minimum.
SELECT coalesce(s.group_id, 0) AS group_id, s.indicator, i.criterion, i.name,
       coalesce(nullif(i.name_en, ''), i.name) AS name_en,
       s.people, s.mean_score::DOUBLE AS mean_score, s.below_min,
       coalesce(s.share_below_min, 0)::DOUBLE AS share_below_min
FROM indicator_stats_monthly s JOIN cfg_indicators i USING (indicator)
WHERE s.month = $1
ORDER BY group_id, s.indicator

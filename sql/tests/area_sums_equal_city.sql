-- Every ward with an official unit is counted once on each map: the nation's
-- figures equal the wards' (the shares of a split unit add up to 1, to the
-- crosswalk's nine decimal places), the provinces add up to the nation and the
-- communes to the provinces, in both geographies.
WITH wards AS (
    SELECT p.month, sum(p.registered) AS registered, sum(p.recognised) AS recognised
    FROM progress_monthly p
    WHERE p.level = 'ward' AND p.ward IN (SELECT ward FROM geo_ward_months WHERE commune_code IS NOT NULL)
    GROUP BY p.month
),
levels AS (
    SELECT geography, month, level, sum(registered) AS registered, sum(recognised) AS recognised
    FROM area_progress_monthly WHERE group_id IS NULL AND level IN ('commune', 'province', 'nation')
    GROUP BY geography, month, level
)
SELECT l.geography, l.month, l.level, l.registered, w.registered AS wards_registered
FROM levels l JOIN wards w USING (month)
WHERE abs(l.registered - w.registered) > 0.000001 * greatest(w.registered, 1)
   OR abs(l.recognised - w.recognised) > 0.000001 * greatest(w.recognised, 1)

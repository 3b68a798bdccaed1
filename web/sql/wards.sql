-- The figures of the month $1 for one target group $2 (0: every group), as
-- the report counts them (progress_monthly), with the units and those
-- meeting the unit title (unit_status_monthly): the city's row first (ward
-- ''), then each ward in the configuration's order. A ward login's snapshot
-- has no city row and only its wards.
WITH units AS (
    SELECT coalesce(ward, '') AS ward, count(*) AS units, count(*) FILTER (WHERE recognised) AS units_recognised
    FROM unit_status_monthly WHERE month = $1
    GROUP BY GROUPING SETS ((ward), ())
)
SELECT coalesce(p.ward, '') AS ward, p.registered, p.assessed, p.recognised, p.not_yet,
       p.rate_of_registered, CAST(p.population_adults AS BIGINT) AS population_adults, p.rate_of_population,
       coalesce(u.units, 0) AS units, coalesce(u.units_recognised, 0) AS units_recognised
FROM progress_monthly p
LEFT JOIN units u ON u.ward = coalesce(p.ward, '') AND $2 = 0
LEFT JOIN cfg_wards w ON w.ward = p.ward
WHERE p.month = $1
  AND (($2 = 0 AND p.level IN ('city', 'ward')) OR ($2 <> 0 AND p.level IN ('group', 'ward_group') AND p.group_id = $2))
ORDER BY p.ward IS NOT NULL, w.ordinal

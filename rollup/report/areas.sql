-- The month's progress per area that sent a package, then the total.
SELECT level, coalesce(area_code, '') AS area_code, coalesce(area_name, '') AS area_name, units,
       registered, assessed, eligible, recognised, coalesce(population_adults, -1) AS population_adults
FROM progress_monthly
WHERE month = ? AND level IN ('area', 'total')
ORDER BY level = 'total', area_name COLLATE vi, area_code

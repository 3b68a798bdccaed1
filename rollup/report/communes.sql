-- The month's progress per commune or ward, by area and name.
SELECT area_code, area_name, unit_code, coalesce(unit_name, unit_code) AS unit_name,
       registered, assessed, eligible, recognised, coalesce(population_adults, -1) AS population_adults
FROM progress_monthly
WHERE month = ? AND level = 'commune'
ORDER BY area_name COLLATE vi, area_code, unit_name COLLATE vi, unit_code

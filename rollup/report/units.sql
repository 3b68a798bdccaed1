-- The month's learning units per area, then the total.
SELECT level, coalesce(area_name, '') AS area_name, units, assessed, eligible, recognised
FROM learning_units_monthly
WHERE month = ?
ORDER BY level = 'total', area_name COLLATE vi, area_code

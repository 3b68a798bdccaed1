-- The packages the figures come from.
SELECT file_id, area, area_name, first_month, last_month, created_at, coalesce(key_name, '') AS key_name
FROM packages
ORDER BY area_name COLLATE vi, area

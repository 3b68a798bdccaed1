-- The exchange packages in force (none newer took their place), oldest
-- first: what a new package may supersede or overlap.
SELECT file_id, area, first_month, last_month, created_at
FROM exchange_packages
WHERE superseded_by IS NULL
ORDER BY file_id

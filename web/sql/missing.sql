-- The submissions due in month $1 by day $2 that no accepted file answers yet:
-- the reminder's list.
SELECT w.name AS ward, s.dataset, s.due, s.status
FROM submission_status_monthly s JOIN cfg_wards w USING (ward)
WHERE s.month = $1 AND s.status IN ('missing', 'refused') AND s.due <= $2::DATE
ORDER BY w.ordinal, s.due, s.dataset

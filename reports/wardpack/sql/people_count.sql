-- How many of a ward's ($2) registrants have one standing ($3: eligible,
-- not_assessed) at the month's end ($1): people.sql's rows, counted without
-- sorting them.
SELECT count(*)
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
WHERE s.month = $1 AND s.ward = $2 AND s.status = $3

-- A ward's ($2) registrants of one standing ($3: eligible, not_assessed) at the
-- month's end ($1), the way the report's annexes sort names: by the given
-- name (the last word), then the whole name, in Vietnamese collation; each
-- with the decision that recognised them, if any. The first $4 of them (all
-- when $4 is NULL).
SELECT c.citizen_id, trim(c.full_name) AS full_name, s.total::DOUBLE AS total,
       coalesce(s.decision_number, '') AS decision_number
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
WHERE s.month = $1 AND s.ward = $2 AND s.status = $3
ORDER BY regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id
LIMIT $4

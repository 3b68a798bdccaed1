-- How many people of the ward $3 close.sql lists for the month ($1, within
-- $2 points), counted without sorting them or working out what each lacks.
WITH fw AS (SELECT pass_total, min_per_indicator FROM cfg_framework)
SELECT count(*)
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN assessments a USING (assessment_id)
JOIN cfg_wards w ON w.ward = s.ward
LEFT JOIN cfg_rounds r ON r.round = s.round
CROSS JOIN fw
WHERE s.month = $1 AND s.status = 'not_yet'
  AND (s.total >= fw.pass_total OR (s.min_score >= fw.min_per_indicator AND s.total >= fw.pass_total - $2))
  AND s.ward = $3::VARCHAR

-- How many people the annex of those close to the title lists for the month
-- ($1, within $2 points: close.sql's rule), and the SHA-256 of the whole list
-- (every column close.sql reads, one JSON array a line, by ward and citizen
-- code): the report's fingerprint changes when any row of it does, also one
-- past the rows the report itself holds.
WITH fw AS (SELECT pass_total, min_per_indicator FROM cfg_framework)
SELECT count(*) AS people,
       coalesce(sha256(string_agg(
           to_json([s.ward, c.citizen_id, c.full_name, s.group_id::VARCHAR, s.total::VARCHAR,
                    a.scores::VARCHAR, s.round, s.assessed_on::VARCHAR, s.reviewed::VARCHAR])::VARCHAR,
           chr(10) ORDER BY w.ordinal, c.citizen_id)), '') AS digest
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN assessments a USING (assessment_id)
JOIN cfg_wards w ON w.ward = s.ward
CROSS JOIN fw
WHERE s.month = $1 AND s.status = 'not_yet'
  AND (s.total >= fw.pass_total OR (s.min_score >= fw.min_per_indicator AND s.total >= fw.pass_total - $2))

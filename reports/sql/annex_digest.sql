-- How many people the annex of the month ($1) lists, and the SHA-256 of the
-- whole list (every column annex.sql reads, one JSON array a line): the
-- report's fingerprint changes when any row of it does, also one past the rows
-- the report itself holds. The lines are taken by ward and citizen code, not
-- in the annex's Vietnamese collation (which takes half as long again at a
-- million people): that order follows from the rows' contents and the wards'
-- order, which the fingerprint holds as well.
SELECT count(*) AS people,
       coalesce(sha256(string_agg(
           to_json([s.ward, c.citizen_id, c.full_name, c.gender, c.birth_year::VARCHAR, s.group_id::VARCHAR,
                    c.unit_code, s.total::VARCHAR, s.min_score::VARCHAR, s.round,
                    s.assessed_on::VARCHAR, s.first_eligible_month, s.reviewed::VARCHAR,
                    s.decision_number, s.decided_on::VARCHAR])::VARCHAR,
           chr(10) ORDER BY w.ordinal, c.citizen_id)), '') AS digest
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN cfg_wards w ON w.ward = s.ward
WHERE s.month = $1 AND s.status = 'eligible'

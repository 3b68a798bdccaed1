-- Each unit at the month's end ($1): its self-assessment that counts, grade
-- and the share of its members holding the individual title.
SELECT s.unit_code, coalesce(u.name, s.unit_code) AS name, coalesce(u.unit_type, '') AS unit_type, s.ward,
       coalesce(s.members, 0) AS members, s.assessed_on, s.total::DOUBLE AS total,
       coalesce(g.name, '') AS grade_name, coalesce(nullif(g.name_en, ''), g.name, '') AS grade_name_en,
       coalesce(s.recognised, false) AS recognised, coalesce(s.eligible, false) AS eligible,
       coalesce(s.in_round, false) AS in_round, coalesce(s.decision_number, '') AS decision_number,
       s.eligible_members, s.title_holders,
       s.title_share::DOUBLE AS title_share, coalesce(s.meets_member_share, false) AS meets_member_share
FROM unit_status_monthly s
LEFT JOIN units u USING (unit_code)
LEFT JOIN cfg_unit_grades g ON g.grade = s.grade
LEFT JOIN cfg_wards w ON w.ward = s.ward
WHERE s.month = $1
ORDER BY w.ordinal, s.unit_code

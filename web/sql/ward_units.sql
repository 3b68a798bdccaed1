-- The units of ward $2 at the end of month $1 (unit_status_monthly), by name.
SELECT u.unit_code, coalesce(c.name, u.unit_code) AS name, coalesce(c.unit_type, '') AS unit_type, u.members,
       u.assessed_on, CAST(u.total AS VARCHAR) AS total, coalesce(u.grade, '') AS grade, coalesce(g.name, '') AS grade_name, coalesce(g.name_en, g.name, '') AS grade_name_en,
       coalesce(u.recognised, false) AS recognised, u.registrants, u.title_holders, u.title_share,
       coalesce(u.meets_member_share, false) AS meets_member_share
FROM unit_status_monthly u
LEFT JOIN cfg_units c USING (unit_code)
LEFT JOIN cfg_unit_grades g ON g.grade = u.grade
WHERE u.month = $1 AND u.ward = $2
ORDER BY name

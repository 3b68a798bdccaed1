-- "Gia đình học tập" at the month's end ($1), per ward and for the city: the
-- households assessed, eligible and recognised by a decision, and every
-- household of the ward (the denominator, with its source); with the title's
-- target and the version of its criteria in force at the month's end. No
-- rows when the title is not configured or no household was assessed yet.
SELECT f.level, coalesce(f.ward, '') AS ward, f.registered, f.eligible, f.recognised, f.eligible_not_recognised,
       f.households, coalesce(f.households_source, '') AS households_source, coalesce(f.households_source_en, f.households_source, '') AS households_source_en,
       t.name, t.name_en, coalesce(t.target_share::DOUBLE, 0) AS target_share, coalesce(t.target_deadline, '') AS target_deadline,
       coalesce(t.target_source, '') AS target_source, coalesce(t.target_source_en, t.target_source, '') AS target_source_en, t.target_source_date,
       coalesce(t.target_scope, '') AS target_scope, coalesce(t.target_scope_en, t.target_scope, '') AS target_scope_en,
       coalesce(v.source, '') AS version_source, coalesce(v.source_en, v.source, '') AS version_source_en, v.valid_from AS version_from,
       coalesce(v.min_total::DOUBLE, 0) AS min_total, coalesce(v.max_total::DOUBLE, 0) AS max_total, coalesce(v.all_criteria, false) AS all_criteria,
       (SELECT count(*) FROM cfg_title_criteria c WHERE c.framework = 'gia_dinh' AND c.version = v.version AND c.assumption IS NOT NULL)
         + CASE WHEN v.pass_assumption IS NOT NULL THEN 1 ELSE 0 END AS assumptions
FROM family_progress_monthly f
JOIN cfg_months m ON m.month = f.month
CROSS JOIN (SELECT * FROM cfg_title_frameworks WHERE framework = 'gia_dinh') t
LEFT JOIN cfg_title_versions v ON v.framework = 'gia_dinh' AND v.valid_from <= m.month_end AND (v.valid_to IS NULL OR v.valid_to >= m.month_end)
LEFT JOIN cfg_wards w ON w.ward = f.ward
WHERE f.month = $1
  AND (SELECT registered FROM family_progress_monthly WHERE month = $1 AND level = 'city') > 0
ORDER BY f.level = 'city', w.ordinal

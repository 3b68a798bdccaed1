-- Each goal, as configured.
SELECT goal_id, name, coalesce(nullif(name_en, ''), name) AS name_en, metric, coalesce(denominator, '') AS denominator,
       target, deadline, coalesce(source, '') AS source, uncertain,
       array_to_string(coalesce(unesco, []), ', ') AS unesco, source_date,
       coalesce(scope, '') AS scope, coalesce(nullif(scope_en, ''), scope, '') AS scope_en,
       coalesce(nullif(source_en, ''), source, '') AS source_en
FROM cfg_goals ORDER BY ordinal

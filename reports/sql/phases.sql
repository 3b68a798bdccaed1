SELECT phase, name, coalesce(nullif(name_en, ''), name) AS name_en, start_date, end_date
FROM cfg_phases ORDER BY ordinal

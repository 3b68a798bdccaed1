SELECT ward, name, kind, coalesce(nullif(name_en, ''), name) AS name_en, population_adults
FROM cfg_wards ORDER BY ordinal

-- The indicators in order, with their wording for target group $1.
SELECT i.indicator, i.name, coalesce(i.name_en, i.name) AS name_en, coalesce(w.wording, i.name) AS wording
FROM cfg_indicators i
LEFT JOIN cfg_indicator_wording w ON w.indicator = i.indicator AND w.group_id = $1
ORDER BY i.indicator

-- Each unit's score per criterion of the scheme, from the self-assessment that
-- counts at the month's end ($1).
SELECT s.unit_code, c.criterion, c.name, coalesce(nullif(c.name_en, ''), c.name) AS name_en,
       sum(i.score)::DOUBLE AS score, c.max::DOUBLE AS max
FROM unit_status_monthly s
JOIN unit_item_scores i ON i.unit_code = s.unit_code AND i.assessed_on = s.assessed_on
JOIN cfg_unit_criteria c ON c.criterion = i.criterion
WHERE s.month = $1
GROUP BY s.unit_code, c.criterion, c.name, c.name_en, c.max, c.ordinal
ORDER BY s.unit_code, c.ordinal

-- Every counted score lies between 0 and indicator_max, every unit item between 0 and its maximum.
SELECT 'citizen' AS kind, assessment_id AS id, CAST(list_filter(scores, x -> x < 0 OR x > fw.indicator_max) AS VARCHAR) AS bad
FROM assessments CROSS JOIN cfg_framework fw
WHERE len(list_filter(scores, x -> x < 0 OR x > fw.indicator_max)) > 0
UNION ALL
SELECT 'unit', unit_code || '/' || CAST(assessed_on AS VARCHAR) || '/' || item, CAST(score AS VARCHAR)
FROM unit_item_scores WHERE score < 0 OR score > max_score

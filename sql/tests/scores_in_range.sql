-- Every counted score lies between 0 and indicator_max, every unit item between 0 and its maximum.
SELECT 'citizen' AS kind, assessment_id AS id, indicator AS item, score
FROM assessment_scores CROSS JOIN cfg_framework fw
WHERE score < 0 OR score > fw.indicator_max
UNION ALL
SELECT 'unit', unit_code || '/' || CAST(assessed_on AS VARCHAR), item, score
FROM unit_item_scores WHERE score < 0 OR score > max_score

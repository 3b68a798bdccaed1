-- Every counted score lies between 0 and indicator_max, every unit item between 0 and its maximum.

-- How: an assessment fails when its lowest or highest score is out of range
-- (one pass over the list, no lambda); only the failing ones, none in a sound
-- run, list their bad scores.
SELECT 'citizen' AS kind, assessment_id AS id, CAST(list_filter(scores, x -> x < 0 OR x > fw.indicator_max) AS VARCHAR) AS bad
FROM assessments CROSS JOIN cfg_framework fw
WHERE list_min(scores) < 0 OR list_max(scores) > fw.indicator_max
UNION ALL
SELECT 'unit', unit_code || '/' || CAST(assessed_on AS VARCHAR) || '/' || item, CAST(score AS VARCHAR)
FROM unit_item_scores WHERE score < 0 OR score > max_score

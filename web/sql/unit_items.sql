-- The item scores of unit $1's assessment of day $2 (unit_item_scores),
-- against each item's maximum, in the scheme's order.
SELECT s.item, coalesce(i.name, s.item) AS name, coalesce(i.name_en, s.item) AS name_en, s.criterion,
       CAST(s.score AS VARCHAR) AS score, CAST(s.max_score AS VARCHAR) AS max_score
FROM unit_item_scores s
LEFT JOIN cfg_unit_items i ON i.item = s.item
WHERE s.unit_code = $1 AND s.assessed_on = $2::DATE
ORDER BY i.ordinal, s.item

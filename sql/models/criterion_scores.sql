-- One row per assessment and criterion: the sum of the counted scores of the
-- criterion's indicators, against its maximum.
-- columns:
--   assessment_id: assessments.assessment_id
--   citizen_id: the person
--   round: survey round
--   criterion: cfg_criteria.criterion
--   score: sum of the counted scores
--   max_score: the criterion's maximum (its indicators × indicator_max)
SELECT s.assessment_id, any_value(s.citizen_id) AS citizen_id, any_value(s.round) AS round, s.criterion,
       sum(s.score) AS score,
       count(*) * any_value(fw.indicator_max) AS max_score
FROM assessment_scores s
CROSS JOIN cfg_framework fw
GROUP BY s.assessment_id, s.criterion

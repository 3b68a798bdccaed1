-- One row per assessment and indicator: the self score, the reviewed score and
-- the score that counts, by cfg_framework.score_basis (self, reviewed, or
-- reviewed_if_present). Scores are exact decimals, so that a total of exactly 80
-- is 80.
-- columns:
--   assessment_id: assessments.assessment_id
--   citizen_id: the person
--   round: survey round
--   assessed_on: the day of the assessment
--   indicator: indicator number, cfg_indicators.indicator
--   criterion: the indicator's criterion
--   self_score: the self-assessed score
--   reviewed_score: the reviewed score, if any
--   score: the score that counts; NULL when the basis asks for a reviewed score that is missing
--   score_source: self or reviewed: which score counts
SELECT a.assessment_id, a.citizen_id, a.round, a.assessed_on, i.indicator, i.criterion,
       CAST(a.self_scores[i.indicator] AS DECIMAL(9, 3))     AS self_score,
       CAST(a.reviewed_scores[i.indicator] AS DECIMAL(9, 3)) AS reviewed_score,
       CASE fw.score_basis
           WHEN 'self'     THEN CAST(a.self_scores[i.indicator] AS DECIMAL(9, 3))
           WHEN 'reviewed' THEN CAST(a.reviewed_scores[i.indicator] AS DECIMAL(9, 3))
           ELSE CAST(coalesce(a.reviewed_scores[i.indicator], a.self_scores[i.indicator]) AS DECIMAL(9, 3))
       END AS score,
       CASE
           WHEN fw.score_basis = 'self' THEN 'self'
           WHEN fw.score_basis = 'reviewed' OR a.reviewed_scores[i.indicator] IS NOT NULL THEN 'reviewed'
           ELSE 'self'
       END AS score_source
FROM assessments a
CROSS JOIN cfg_indicators i
CROSS JOIN cfg_framework fw

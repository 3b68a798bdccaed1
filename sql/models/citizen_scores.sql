-- One row per assessment: the total and lowest of the scores that count, and
-- whether they meet the title: total ≥ pass_total and no indicator below
-- min_per_indicator (both bounds inclusive, from cfg_framework).
-- columns:
--   assessment_id: assessments.assessment_id
--   citizen_id: the person
--   round: survey round
--   round_ordinal: the round's place in cfg_rounds
--   assessed_on: the day of the assessment
--   total: sum of the scores that count
--   min_score: the lowest score that counts
--   indicators_below_min: how many indicators are below min_per_indicator
--   complete: every indicator has a score that counts
--   reviewed: at least one counted score is a reviewed score
--   meets_title: complete, total ≥ pass_total and min_score ≥ min_per_indicator
SELECT s.assessment_id,
       any_value(s.citizen_id)  AS citizen_id,
       any_value(s.round)       AS round,
       any_value(a.round_ordinal) AS round_ordinal,
       any_value(s.assessed_on) AS assessed_on,
       sum(s.score)             AS total,
       min(s.score)             AS min_score,
       count(*) FILTER (WHERE s.score < fw.min_per_indicator) AS indicators_below_min,
       count(s.score) = fw.indicators AS complete,
       bool_or(s.score_source = 'reviewed') AS reviewed,
       count(s.score) = fw.indicators
           AND sum(s.score) >= fw.pass_total
           AND min(s.score) >= fw.min_per_indicator AS meets_title
FROM assessment_scores s
JOIN assessments a ON a.assessment_id = s.assessment_id
CROSS JOIN cfg_framework fw
GROUP BY s.assessment_id, fw.indicators, fw.pass_total, fw.min_per_indicator

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
--   reviewed: the reviewed scores count
--   meets_title: complete, total ≥ pass_total and min_score ≥ min_per_indicator

-- incremental by: citizen_id (a person's rows depend only on that person's rows)
SELECT a.assessment_id, a.citizen_id, a.round, a.round_ordinal, a.assessed_on,
       list_sum(a.scores) AS total,
       list_min(a.scores) AS min_score,
       len(list_filter(a.scores, x -> x < fw.min_per_indicator)) AS indicators_below_min,
       len(list_filter(a.scores, x -> x IS NOT NULL)) = fw.indicators AS complete,
       a.reviewed,
       len(list_filter(a.scores, x -> x IS NOT NULL)) = fw.indicators
           AND list_sum(a.scores) >= fw.pass_total
           AND list_min(a.scores) >= fw.min_per_indicator AS meets_title
FROM assessments a
CROSS JOIN cfg_framework fw

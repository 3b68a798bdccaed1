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

-- How: the sums, minima and counts are computed once per assessment in the
-- inner query and read twice outside it (each list walked once: at a million
-- citizens, 3M score lists), and list_count counts the scores that are set
-- without a lambda.
SELECT assessment_id, citizen_id, round, round_ordinal, assessed_on, total, min_score,
       len(list_filter(scores, x -> x < min_per_indicator)) AS indicators_below_min,
       counted = indicators AS complete,
       reviewed,
       counted = indicators AND total >= pass_total AND min_score >= min_per_indicator AS meets_title
FROM (
    SELECT a.assessment_id, a.citizen_id, a.round, a.round_ordinal, a.assessed_on, a.scores, a.reviewed,
           list_sum(a.scores) AS total, list_min(a.scores) AS min_score, list_count(a.scores) AS counted,
           fw.min_per_indicator, fw.indicators, fw.pass_total
    FROM assessments a
    CROSS JOIN cfg_framework fw
)

-- The assessments of person $1 dated on or before the day $2, by round: the
-- self scores, the reviewed ones and those that count, per indicator, with
-- their totals (citizen_scores).
SELECT a.assessment_id, a.round, coalesce(r.name, a.round) AS round_name, coalesce(r.name_en, a.round) AS round_name_en,
       a.assessed_on, coalesce(a.reviewer, '') AS reviewer, a.reviewed,
       CAST(coalesce(a.self_scores, []) AS VARCHAR[]) AS self_scores,
       CAST(coalesce(a.reviewed_scores, []) AS VARCHAR[]) AS reviewed_scores,
       CAST(coalesce(a.scores, []) AS VARCHAR[]) AS scores,
       coalesce(CAST(s.total AS VARCHAR), '') AS total, s.complete, s.meets_title, s.indicators_below_min
FROM assessments a
JOIN citizen_scores s USING (assessment_id)
LEFT JOIN cfg_rounds r ON r.round = a.round
WHERE a.citizen_id = $1 AND a.assessed_on <= $2::DATE
ORDER BY a.assessed_on, a.round_ordinal

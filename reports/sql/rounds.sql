-- Each survey round up to the month's end ($1): how many registered people
-- were assessed in it (complete assessments dated by then), how many of them
-- met the title's criteria, and their mean total. The scores are counted by
-- round before they meet the rounds: at a million people, joining their
-- 3,000,000 rows to the rounds first took twice as long.
SELECT r.round, r.name, coalesce(nullif(r.name_en, ''), r.name) AS name_en,
       coalesce(s.assessed, 0) AS assessed,
       coalesce(s.eligible, 0) AS eligible,
       coalesce(s.mean_total, 0)::DOUBLE AS mean_total
FROM cfg_rounds r
LEFT JOIN (
    SELECT cs.round, count(cs.assessment_id) AS assessed,
           count(cs.assessment_id) FILTER (WHERE cs.meets_title) AS eligible,
           avg(cs.total) AS mean_total
    FROM citizen_scores cs
    SEMI JOIN citizens c ON c.citizen_id = cs.citizen_id
    WHERE cs.complete AND cs.assessed_on <= last_day(strptime($1, '%Y-%m')::DATE)
    GROUP BY cs.round
) s ON s.round = r.round
ORDER BY r.ordinal

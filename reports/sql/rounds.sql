-- Each survey round up to the month's end ($1): how many registered people
-- were assessed in it (complete assessments dated by then), how many of them
-- met the title's criteria, and their mean total.
SELECT r.round, r.name, coalesce(nullif(r.name_en, ''), r.name) AS name_en,
       count(s.assessment_id) AS assessed,
       count(s.assessment_id) FILTER (WHERE s.meets_title) AS eligible,
       coalesce(avg(s.total), 0)::DOUBLE AS mean_total
FROM cfg_rounds r
LEFT JOIN (
    SELECT cs.* FROM citizen_scores cs
    SEMI JOIN citizens c ON c.citizen_id = cs.citizen_id
    WHERE cs.complete AND cs.assessed_on <= last_day(strptime($1, '%Y-%m')::DATE)
) s ON s.round = r.round
GROUP BY r.round, r.name, r.name_en, r.ordinal
ORDER BY r.ordinal

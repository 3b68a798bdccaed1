-- One row per unit self-assessment: the total of its item scores, the grade it
-- earns (the highest grade of cfg_unit_grades whose minimum the total reaches)
-- and whether it makes the unit eligible for recognition: a grade at least
-- cfg_unit_scheme.recognised_from, in the assessment round that counts (on or
-- after cfg_unit_scheme.assessed_from). Only a decision recognises a unit.
-- columns:
--   unit_code: the unit
--   assessed_on: the day of the self-assessment
--   total: sum of the item scores, out of 100 by default
--   grade: cfg_unit_grades.grade
--   grade_name: the grade's name (Tốt, Khá, Trung bình, Chưa đạt)
--   in_round: the assessment is of the round that counts (not the baseline)
--   eligible: in_round and the grade is at least the one recognised from
--   items: how many items were scored
WITH totals AS (
    SELECT unit_code, assessed_on, sum(score) AS total, count(*) AS items
    FROM unit_item_scores
    GROUP BY unit_code, assessed_on
)
SELECT t.unit_code, t.assessed_on, t.total, g.grade, g.name AS grade_name,
       s.assessed_from IS NULL OR t.assessed_on >= s.assessed_from AS in_round,
       (s.assessed_from IS NULL OR t.assessed_on >= s.assessed_from) AND t.total >= s.recognised_min AS eligible, t.items
FROM totals t
CROSS JOIN cfg_unit_scheme s
ASOF JOIN (SELECT grade, name, CAST(min_total AS DECIMAL(9, 3)) AS min_total FROM cfg_unit_grades) g
    ON t.total >= g.min_total

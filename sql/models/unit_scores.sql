-- One row per unit self-assessment: the total of its item scores, the grade it
-- earns (the highest grade of cfg_unit_grades whose minimum the total reaches)
-- and whether it counts as recognised (grade at least cfg_unit_scheme.recognised_from).
-- columns:
--   unit_code: the unit
--   assessed_on: the day of the self-assessment
--   total: sum of the item scores, out of 100 by default
--   grade: cfg_unit_grades.grade
--   grade_name: the grade's name (Tốt, Khá, Trung bình, Chưa đạt)
--   recognised: the grade is at least the recognised one
--   items: how many items were scored
WITH totals AS (
    SELECT unit_code, assessed_on, sum(score) AS total, count(*) AS items
    FROM unit_item_scores
    GROUP BY unit_code, assessed_on
)
SELECT t.unit_code, t.assessed_on, t.total, g.grade, g.name AS grade_name,
       t.total >= s.recognised_min AS recognised, t.items
FROM totals t
CROSS JOIN cfg_unit_scheme s
ASOF JOIN (SELECT grade, name, CAST(min_total AS DECIMAL(9, 3)) AS min_total FROM cfg_unit_grades) g
    ON t.total >= g.min_total

-- The people one indicator short of the title at the month's end ($1): a
-- total that reaches pass_total but exactly one indicator below
-- min_per_indicator, by the assessment that counts; each with that indicator
-- and its score, by ward in the Vietnamese order of names.
SELECT s.ward, c.citizen_id, c.full_name, s.group_id, s.total::DOUBLE AS total,
       ci.indicator, ci.name, coalesce(nullif(ci.name_en, ''), ci.name) AS name_en,
       a.scores[ci.indicator]::DOUBLE AS score
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN citizen_scores cs ON cs.assessment_id = s.assessment_id
JOIN assessments a ON a.assessment_id = s.assessment_id
CROSS JOIN cfg_framework fw
JOIN cfg_indicators ci ON a.scores[ci.indicator] < fw.min_per_indicator
JOIN cfg_wards w ON w.ward = s.ward
WHERE s.month = $1 AND s.status = 'not_yet' AND cs.indicators_below_min = 1 AND s.total >= fw.pass_total
ORDER BY w.ordinal, regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id

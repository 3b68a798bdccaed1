-- The people close to the title at the month's end ($1), by ward: not yet
-- eligible by the assessment that counts, and either its total reaches
-- pass_total though some indicator is below min_per_indicator, or every
-- indicator reaches the minimum and the total lacks at most $3 points
-- (report.close_within). Each with the indicators below the minimum and their
-- scores, the points the total lacks, and the round and day of that
-- assessment; of the ward $4 alone, or of every ward when $4 is NULL (a ward's
-- pack). The first $2 of them (all of them when $2 is NULL), in the
-- annex's order: by ward, then given name and whole name in Vietnamese
-- collation.
WITH fw AS (SELECT pass_total, min_per_indicator FROM cfg_framework)
SELECT s.ward, c.citizen_id, trim(c.full_name) AS full_name, s.group_id,
       s.total::DOUBLE AS total, greatest(fw.pass_total - s.total, 0)::DOUBLE AS points_short,
       coalesce(list_transform(
           list_filter(list_zip(a.scores, range(1, len(a.scores) + 1)), x -> x[1] < fw.min_per_indicator),
           x -> {'indicator': x[2], 'score': x[1]::DOUBLE}), []) AS below,
       s.round, coalesce(r.name, s.round) AS round_name, coalesce(nullif(r.name_en, ''), r.name, s.round) AS round_name_en,
       s.assessed_on, coalesce(s.reviewed, false) AS reviewed
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN assessments a USING (assessment_id)
JOIN cfg_wards w ON w.ward = s.ward
LEFT JOIN cfg_rounds r ON r.round = s.round
CROSS JOIN fw
WHERE s.month = $1 AND s.status = 'not_yet'
  AND (s.total >= fw.pass_total OR (s.min_score >= fw.min_per_indicator AND s.total >= fw.pass_total - $3))
  AND ($4::VARCHAR IS NULL OR s.ward = $4::VARCHAR)
ORDER BY w.ordinal, regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id
LIMIT $2

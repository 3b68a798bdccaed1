-- The people registered in ward $2 ('' : any) or unit $3 ('' : any), of group
-- $4 (0: any), or the one person $5 ('' : any), as they stood at the end of
-- month $1 (citizen_status_monthly),
-- with what separates each one not yet meeting the title from it, from the
-- assessment that counts: the indicators below the minimum, and the points
-- the total lacks. close: as the report's annex has it (reports/sql/close.sql)
-- — not yet eligible, and either the total reached with some indicator below
-- the minimum, or no indicator below it and the total short by at most $6
-- points (report.close_within). Names sort as in the report's annex: by
-- the given name (the last word), then the whole name, in Vietnamese collation.
WITH fw AS (SELECT pass_total, min_per_indicator FROM cfg_framework),
people AS (
    SELECT s.citizen_id, trim(c.full_name) AS full_name, s.ward, s.group_id, coalesce(s.unit_code, '') AS unit_code, s.status,
           coalesce(s.round, '') AS round, s.assessed_on, s.total, s.min_score, coalesce(s.first_eligible_month, '') AS first_recognised_month,
           a.scores, coalesce(a.reviewed, false) AS reviewed
    FROM citizen_status_monthly s
    JOIN citizens c USING (citizen_id)
    LEFT JOIN assessments a USING (assessment_id)
    WHERE s.month = $1 AND ($2 = '' OR s.ward = $2) AND ($3 = '' OR s.unit_code = $3) AND ($4 = 0 OR s.group_id = $4)
      AND ($5 = '' OR s.citizen_id = $5)
)
SELECT p.citizen_id, p.full_name, p.ward, p.group_id, p.unit_code, p.status, p.round, p.assessed_on,
       coalesce(CAST(p.total AS VARCHAR), '') AS total, p.reviewed, p.first_recognised_month,
       CAST(coalesce(list_transform(list_filter(list_zip(p.scores, range(1, len(p.scores) + 1)), x -> x[1] < fw.min_per_indicator), x -> x[2]), []) AS VARCHAR[]) AS below,
       CAST(greatest(fw.pass_total - coalesce(p.total, 0), 0) AS VARCHAR) AS short_by,
       p.status = 'not_yet' AND (
           p.total >= fw.pass_total OR
           (p.min_score >= fw.min_per_indicator AND p.total >= fw.pass_total - $6)) AS close
FROM people p CROSS JOIN fw
ORDER BY regexp_extract(p.full_name, '(\S+)$') COLLATE vi, p.full_name COLLATE vi, p.citizen_id

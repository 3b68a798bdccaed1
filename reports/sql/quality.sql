-- Data completeness and timeliness per ward and month up to the month ($1).
SELECT q.month, q.ward, q.expected, q.on_time, q.late, q.missing, q.overdue_earlier,
       q.files_received, q.files_refused, q.problems
FROM data_quality_monthly q JOIN cfg_wards w USING (ward)
WHERE q.month <= $1
ORDER BY q.month, w.ordinal

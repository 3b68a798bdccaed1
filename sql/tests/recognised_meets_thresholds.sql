-- Eligible ⇒ total ≥ pass_total and every indicator ≥ min_per_indicator; and the other way round.

-- incremental by: citizen_id (an incremental run tests the changed people's rows: the others passed before)
SELECT s.month, s.citizen_id, s.status, s.total, s.min_score
FROM citizen_status_monthly s CROSS JOIN cfg_framework fw
WHERE (s.status = 'eligible' AND (s.total < fw.pass_total OR s.min_score < fw.min_per_indicator))
   OR (s.status = 'not_yet' AND s.total >= fw.pass_total AND s.min_score >= fw.min_per_indicator)

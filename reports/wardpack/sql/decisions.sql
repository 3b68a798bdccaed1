-- A ward's ($2) people eligible at the month's end ($1): how many no decision
-- recognises yet, and the decisions that recognise the others.
SELECT count(*) FILTER (WHERE coalesce(s.decision_number, '') = '') AS undecided,
       coalesce(string_agg(DISTINCT s.decision_number, ', ' ORDER BY s.decision_number) FILTER (WHERE coalesce(s.decision_number, '') <> ''), '') AS decisions
FROM citizen_status_monthly s
WHERE s.month = $1 AND s.ward = $2 AND s.status = 'eligible'

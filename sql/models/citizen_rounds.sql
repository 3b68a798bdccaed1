-- One row per registered person and survey round they were assessed in: from
-- when both hold, registered and assessed in that round (the later of the
-- registration day and the first assessment of the round). The milestones
-- (every registrant assessed in a round) and the metrics of the first and the
-- last round count these.
-- columns:
--   citizen_id: the person
--   ward: their ward
--   round: the survey round
--   since: the day from which the person counts as registered and assessed in the round

-- incremental by: citizen_id (a person's rows depend only on that person's rows)

-- How: a person's first day in each round is found from the assessments alone
-- and joined to the person after: citizens holds one row per person, so the
-- grouping needs only the person and the round (two keys, not four).
SELECT a.citizen_id, c.ward, a.round, greatest(c.registered_on, a.first_on) AS since
FROM (SELECT citizen_id, round, min(assessed_on) AS first_on FROM assessments GROUP BY citizen_id, round) a
JOIN citizens c USING (citizen_id)

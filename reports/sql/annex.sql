-- The people whose scores meet the title's criteria at the month's end ($1),
-- by ward: the basis of a proposal for recognition, each with whether the
-- scores were reviewed (thẩm định) or self-assessed only, and the decision that
-- recognised them, if any. The first $2 of them (all of them when
-- $2 is NULL): the PDF and the HTML show annex_limit, the XLSX streams all.
-- Within a ward, names sort the way Vietnamese lists do: by the given name
-- (the last word), then the family and middle names, in Vietnamese collation
-- (ICU's "vi": Dương < Đặng < Em).
SELECT s.ward, c.citizen_id, c.full_name, coalesce(c.gender, '') AS gender, c.birth_year,
       s.group_id, coalesce(c.unit_code, '') AS unit_code,
       s.total::DOUBLE AS total, s.min_score::DOUBLE AS min_score, s.round, s.assessed_on,
       coalesce(s.first_eligible_month, '') AS first_month, coalesce(s.reviewed, false) AS reviewed,
       coalesce(s.decision_number, '') AS decision_number, s.decided_on
FROM citizen_status_monthly s
JOIN citizens c USING (citizen_id)
JOIN cfg_wards w ON w.ward = s.ward
WHERE s.month = $1 AND s.status = 'eligible'
ORDER BY w.ordinal, regexp_extract(trim(c.full_name), '(\S+)$') COLLATE vi, trim(c.full_name) COLLATE vi, c.citizen_id
LIMIT $2

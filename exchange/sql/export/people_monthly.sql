-- Each registered person's standing at the end of each month: person-level,
-- so in a package only when exchange.people is set.
SELECT s.month, w.unit_code, s.ward, s.citizen_id, c.full_name, s.group_id, s.status,
       s.total, s.min_score, s.reviewed, s.recognised, s.decision_number
FROM citizen_status_monthly s
JOIN citizens c ON c.citizen_id = s.citizen_id
JOIN exchange_wards w ON w.ward = s.ward

-- Learning families (Gia đình học tập) per commune or ward at the end of each
-- month: households assessed, eligible and recognised by a decision, and all
-- the ward's households (the denominator of QĐ 387's families goal, from the
-- city's configuration). Aggregates only: no household leaves the city.
SELECT f.month, w.unit_code, f.ward,
       f.registered, f.eligible, f.recognised, f.households
FROM family_progress_monthly f
JOIN exchange_wards w ON w.ward = f.ward
WHERE f.level = 'ward'

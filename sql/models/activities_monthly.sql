-- Activities per ward and month of the programme, zero where none were reported.
-- columns:
--   month: YYYY-MM
--   ward: ward code
--   activities: number of activities
--   participants: total participants
--   hours: total hours
SELECT m.month, w.ward,
       count(a.activity_date) AS activities,
       coalesce(sum(a.participants), 0) AS participants,
       coalesce(sum(a.hours), 0) AS hours
FROM cfg_months m
CROSS JOIN cfg_wards w
LEFT JOIN activities a ON a.month = m.month AND a.ward = w.ward
GROUP BY m.month, w.ward
